/**
 * The closed set of errors the service raises on purpose. Each maps to one HTTP status and a
 * stable machine-readable `code`; the error handler turns anything else into a 500 or 503.
 */
export abstract class AppError extends Error {
  abstract readonly statusCode: number;
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends AppError {
  readonly statusCode = 400;
}
export class UnauthorizedError extends AppError {
  readonly statusCode = 401;
  constructor(message = 'missing or invalid credentials', code = 'unauthorized') {
    super(code, message);
  }
}
export class ForbiddenError extends AppError {
  readonly statusCode = 403;
}
export class NotFoundError extends AppError {
  readonly statusCode = 404;
  constructor(what: string) {
    super('not_found', `${what} not found`);
  }
}
export class ConflictError extends AppError {
  readonly statusCode = 409;
}
export class PayloadTooLargeError extends AppError {
  readonly statusCode = 413;
}
export class UnavailableError extends AppError {
  readonly statusCode = 503;
}
