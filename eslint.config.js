// Lint = the architecture's import table as a check (README: layout and import rules), plus a few correctness rules.
import tseslint from "typescript-eslint";

const rooms = {
  core: ["**/domain/**", "**/channels/**", "**/nlu/**", "**/handlers/**", "**/db/**", "**/generated/**", "**/cards/**", "**/jobs/**", "express", "openai", "@prisma/*", "pg", "@electric-sql/*"],
  domain: ["**/channels/**", "**/nlu/**", "**/handlers/**", "**/cards/**", "**/jobs/**", "express", "openai"],
  nlu: ["**/domain/**", "**/channels/**", "**/handlers/**", "**/db/**", "**/generated/**", "**/cards/**", "**/jobs/**", "express", "@prisma/*", "pg"],
  cards: ["**/domain/**", "**/channels/**", "**/nlu/**", "**/handlers/**", "**/db/**", "**/generated/**", "**/jobs/**", "express", "openai", "node:fs", "node:http", "@prisma/*"],
  handlers: ["**/channels/**", "**/db/**", "**/generated/**", "**/jobs/**", "express", "@prisma/*", "pg"],
  channels: ["**/domain/**", "**/nlu/**", "**/handlers/**", "**/db/**", "**/generated/**", "**/cards/**", "**/jobs/**", "openai", "@prisma/*"],
  jobs: ["**/channels/**", "**/db/**", "**/generated/**", "express", "@prisma/*"],
};

const restrict = (files, patterns, message) => ({
  files,
  rules: { "no-restricted-imports": ["error", { patterns: [{ group: patterns, message }] }] },
});

export default tseslint.config(
  { ignores: ["node_modules/**", "src/generated/**", "data/**", "dist/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-console": "off",
    },
  },
  restrict(["src/core/**"], rooms.core, "core may import only zod and shared helpers (README: layout and import rules)"),
  restrict(["src/domain/**"], rooms.domain, "domain may import core and db only (README: layout and import rules)"),
  restrict(["src/nlu/**"], rooms.nlu, "nlu may import core, openai and zod only (README: layout and import rules)"),
  restrict(["cards/**"], rooms.cards, "cards are pure: core card types in, Card out, no I/O (README: layout and import rules)"),
  restrict(["src/handlers/**"], rooms.handlers, "handlers may import core, domain, nlu and cards only (README: layout and import rules)"),
  restrict(["src/channels/**"], rooms.channels, "a channel may import core, express and its platform SDK only (README: layout and import rules)"),
  restrict(["jobs/**"], rooms.jobs, "jobs may import handlers and core only (README: layout and import rules)"),
  {
    // One channel never imports another.
    files: ["src/channels/wecom/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: [...rooms.channels, "**/dingtalk/**", "**/playground/**"], message: "channels are independent" }] }] },
  },
  {
    files: ["src/channels/dingtalk/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: [...rooms.channels, "**/wecom/**", "**/playground/**"], message: "channels are independent" }] }] },
  },
  {
    // Prisma only in repositories and services (transactional code on a Tx); pure domain modules stay free of it.
    files: ["src/domain/**"],
    ignores: ["src/domain/**/*.repo.ts", "src/domain/tx.ts", "src/domain/**/*.service.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [{ group: [...rooms.domain, "**/generated/**", "**/db/**"], message: "Prisma only in *.repo.ts and *.service.ts: keep pure domain modules free of it" }] }] },
  },
);
