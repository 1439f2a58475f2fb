/**
 * A CloudWatch error in the AWS JSON 1.0 protocol with query compatibility: the body carries the
 * shape name (`__type`), the `x-amzn-query-error: <Code>;Sender` header carries the query code,
 * from which @aws-sdk/client-cloudwatch picks the error class.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html
 */
export class CloudWatchError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'CloudWatchError';
    this.code = code;
    this.status = ERROR_SHAPES[code]?.status ?? 400;
  }

  /** The modelled shape name for `__type`. */
  get shape(): string {
    return ERROR_SHAPES[this.code]?.shape ?? this.code;
  }

  /** `Sender` for client faults, `Receiver` for server faults. */
  get faultSide(): 'Sender' | 'Receiver' {
    return this.status >= 500 ? 'Receiver' : 'Sender';
  }
}

/** Query code → modelled shape and status (the client's error registry). */
const ERROR_SHAPES: Readonly<Record<string, { shape: string; status: number }>> = {
  InvalidParameterValue: { shape: 'InvalidParameterValueException', status: 400 },
  InvalidParameterCombination: { shape: 'InvalidParameterCombinationException', status: 400 },
  MissingParameter: { shape: 'MissingRequiredParameterException', status: 400 },
  InvalidNextToken: { shape: 'InvalidNextToken', status: 400 },
  InvalidFormat: { shape: 'InvalidFormatFault', status: 400 },
  LimitExceeded: { shape: 'LimitExceededFault', status: 400 },
  ValidationError: { shape: 'ValidationException', status: 400 },
  ResourceNotFound: { shape: 'ResourceNotFound', status: 404 },
  InternalServiceError: { shape: 'InternalServiceFault', status: 500 },
  Throttling: { shape: 'Throttling', status: 400 },
};
