export type RejectionCode = 'empty' | 'binary' | 'invalid-encoding' | 'too-large' | 'too-deep' | 'no-content';

/**
 * A document that can never be cleaned, however often it is retried. The message is read by
 * operators (Bull Board, `GET /documents/:id`), so it says what is wrong with this body.
 */
export class DocumentRejectedError extends Error {
  readonly code: RejectionCode;

  constructor(code: RejectionCode, message: string) {
    super(message);
    this.name = 'DocumentRejectedError';
    this.code = code;
  }
}
