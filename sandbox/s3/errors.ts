/**
 * An S3 API error, rendered as S3's REST error document
 * (`<Error><Code>…</Code><Message>…</Message>…<RequestId>…</RequestId><HostId>…</HostId></Error>`)
 * with the HTTP status S3 sends for the code, so @aws-sdk/client-s3, botocore and the AWS CLI
 * raise the same error names they raise against AWS.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
 */
export class S3Error extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra members of the error document (`BucketName`, `Key`, `Resource`, …), in order. */
  readonly details: Readonly<Record<string, string>>;

  constructor(code: string, message: string, status: number, details: Record<string, string> = {}) {
    super(message);
    this.name = 'S3Error';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

// The codes, statuses and messages below are those listed in S3's error code table
// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html#ErrorCodeList).

/** 404 NoSuchBucket. */
export const noSuchBucket = (bucket: string): S3Error => new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });

/** 404 NoSuchKey. */
export const noSuchKey = (key: string): S3Error => new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });

/** 409 BucketAlreadyOwnedByYou (every region but us-east-1, where re-creating answers 200). */
export const bucketAlreadyOwnedByYou = (bucket: string): S3Error =>
  new S3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: bucket });

/** 409 BucketNotEmpty. */
export const bucketNotEmpty = (bucket: string): S3Error => new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: bucket });

/** 400 InvalidBucketName. */
export const invalidBucketName = (bucket: string): S3Error => new S3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });

/** 400 InvalidArgument. */
export const invalidArgument = (message: string, name?: string, value?: string): S3Error =>
  new S3Error('InvalidArgument', message, 400, name !== undefined ? { ArgumentName: name, ArgumentValue: value ?? '' } : {});

/** 400 MalformedXML. */
export const malformedXml = (): S3Error =>
  new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

/** 416 InvalidRange. */
export const invalidRange = (range: string, size: number): S3Error =>
  new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: range, ActualObjectSize: String(size) });

/** 400 KeyTooLongError. */
export const keyTooLong = (): S3Error => new S3Error('KeyTooLongError', 'Your key is too long', 400);

/** 405 MethodNotAllowed. */
export const methodNotAllowed = (method: string, resourceType: 'BUCKET' | 'OBJECT' | 'SERVICE'): S3Error =>
  new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: method, ResourceType: resourceType });

/**
 * 412 PreconditionFailed: a bucket-level POST (a browser form upload) whose body is not
 * `multipart/form-data`, worded as S3 answers it.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/RESTObjectPOST.html
 */
export const bucketPostNotMultipart = (): S3Error =>
  new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, {
    Condition: 'Bucket POST must be of the enclosure-type multipart/form-data',
  });

/** 400 MalformedPOSTRequest: a bucket-level POST whose multipart/form-data body does not parse. */
export const malformedPostRequest = (): S3Error =>
  new S3Error('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.', 400);

/** 400 BadDigest. */
export const badDigest = (): S3Error => new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);

/** 400 IncompleteBody. */
export const incompleteBody = (detail: string): S3Error =>
  new S3Error('IncompleteBody', `You did not provide the number of bytes specified by the Content-Length HTTP header. ${detail}`, 400);
