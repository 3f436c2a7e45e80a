// The error services throw for expected, user-facing failures: a stable machine code plus a plain
// message. server/http/errors.ts maps codes to HTTP statuses; `extra` fields join the error body.
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}
