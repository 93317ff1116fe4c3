// Expected failures: a code for logs and tests, a polite Chinese message for the user.
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly userMessage: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(`${code}: ${userMessage}`);
    this.name = "AppError";
  }
}

/** A send that may work later (rate limit, outage, 5xx). */
export class RetryableSendError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "RetryableSendError";
  }
}

/** A send that will never work (bad recipient, malformed card): dead-lettered at once. */
export class PermanentSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentSendError";
  }
}
