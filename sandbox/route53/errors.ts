/**
 * Route 53's errors: the code, HTTP status and message Route 53 answers with, rendered as its
 * REST-XML error document
 * `<ErrorResponse><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`.
 *
 * `InvalidChangeBatch` takes the same standard form, its messages joined as `[first, second]` in
 * `Message`: Route 53 stopped answering with a root `<InvalidChangeBatch><Messages>` element in
 * 2024 (the SDKs removed their special parsing then, e.g. aws/aws-sdk-kotlin#1435, which quotes a
 * live response).
 *
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/CommonErrors.html
 */

/** A Route 53 error. `messages` holds each problem of an `InvalidChangeBatch`. */
export class Route53Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly messages: readonly string[] = [],
  ) {
    super(message);
    this.name = code;
  }
}

/** `InvalidInput` (400): a parameter out of range, missing or malformed. */
export function invalidInput(message: string): Route53Error {
  return new Route53Error('InvalidInput', message, 400);
}

/** `InvalidChangeBatch` (400) with one message per problem, as Route 53 lists them. */
export function invalidChangeBatch(messages: readonly string[]): Route53Error {
  return new Route53Error('InvalidChangeBatch', `[${messages.join(', ')}]`, 400, messages);
}

/** `NoSuchHostedZone` (404). */
export function noSuchHostedZone(id: string): Route53Error {
  return new Route53Error('NoSuchHostedZone', `No hosted zone found with ID: ${id}`, 404);
}

/** `NoSuchChange` (404). */
export function noSuchChange(id: string): Route53Error {
  return new Route53Error('NoSuchChange', `A change with the specified change ID does not exist: ${id}`, 404);
}

/** `NoSuchHealthCheck` (404). */
export function noSuchHealthCheck(id: string): Route53Error {
  return new Route53Error('NoSuchHealthCheck', `No health check exists with the specified ID ${id}`, 404);
}

/** A `1 validation error detected: …` message, as AWS's request validation words it. */
export function validationMessage(value: string, where: string, constraint: string): string {
  return `1 validation error detected: Value '${value}' at '${where}' failed to satisfy constraint: ${constraint}`;
}
