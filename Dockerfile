# syntax=docker/dockerfile:1
# The bot as a container (README: "Production guide"). Build: docker build -t sales-desk-bot .
# Run it with compose.yaml (the bot + PostgreSQL) or alone with the embedded database on the /data volume.

# ── build: all dependencies (postinstall generates the Prisma client), then tsc to dist/ ──────────────
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY cards ./cards
COPY jobs ./jobs
RUN npm run build

# ── runtime: production dependencies only, the compiled code, the migrations and the demo organisation ──
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the Prisma client is already compiled into dist/src/generated (no engine download needed,
# the bot talks to the database through driver adapters).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY prisma ./prisma
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
# /healthz answers without touching the database: "the process is up". Use /readyz for load-balancer checks.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/main.js"]
