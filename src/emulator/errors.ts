/** Stripe's error envelope: every failure, 404 and 500 included, is `{ "error": { … } }`. */

export type StripeErrorType =
  | 'api_error'
  | 'card_error'
  | 'idempotency_error'
  | 'invalid_request_error'
  | 'rate_limit_error';

export type ErrorFields = {
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  advice_code?: string;
  charge?: string;
  payment_intent?: unknown;
  payment_method?: unknown;
};

export type ErrorOptions = {
  /** Stripe saves the result of a request that started executing; validation failures are not saved. */
  cacheable?: boolean;
  headers?: Record<string, string>;
};

export class ApiError extends Error {
  readonly cacheable: boolean;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly fields: ErrorFields,
    options: ErrorOptions = {},
  ) {
    super(fields.message);
    this.cacheable = options.cacheable ?? true;
    this.headers = options.headers ?? {};
  }
}

export function docUrl(code: string): string {
  return `https://docs.stripe.com/error-codes/${code.replace(/_/g, '-')}`;
}

/** Field order follows Stripe's responses; absent fields are left out, as Stripe does. */
export function errorJson(err: ApiError, requestId: string): string {
  const f = err.fields;
  const body: Record<string, unknown> = {};
  if (f.advice_code !== undefined) body.advice_code = f.advice_code;
  if (f.charge !== undefined) body.charge = f.charge;
  if (f.code !== undefined) body.code = f.code;
  if (f.decline_code !== undefined) body.decline_code = f.decline_code;
  if (f.code !== undefined) body.doc_url = docUrl(f.code);
  body.message = f.message;
  if (f.param !== undefined) body.param = f.param;
  if (f.payment_intent !== undefined) body.payment_intent = f.payment_intent;
  if (f.payment_method !== undefined) body.payment_method = f.payment_method;
  body.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
  body.type = f.type;
  return JSON.stringify({ error: body });
}

export function invalidRequest(message: string, extra: { param?: string; code?: string; status?: number; cacheable?: boolean } = {}): ApiError {
  const fields: ErrorFields = { type: 'invalid_request_error', message };
  if (extra.param !== undefined) fields.param = extra.param;
  if (extra.code !== undefined) fields.code = extra.code;
  return new ApiError(extra.status ?? 400, fields, { cacheable: extra.cacheable ?? true });
}

export function parameterMissing(param: string): ApiError {
  return invalidRequest(`Missing required param: ${param}.`, { param, code: 'parameter_missing', cacheable: false });
}

export function parameterUnknown(param: string): ApiError {
  return invalidRequest(`Received unknown parameter: ${param}`, { param, code: 'parameter_unknown', cacheable: false });
}

export function parameterInvalid(param: string, message: string, code = 'parameter_invalid_string'): ApiError {
  return invalidRequest(message, { param, code, cacheable: false });
}

export function resourceMissing(kind: string, id: string, param = 'id'): ApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, { param, code: 'resource_missing', status: 404, cacheable: false });
}

export function unrecognizedUrl(method: string, path: string): ApiError {
  return invalidRequest(
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    { status: 404, cacheable: false },
  );
}

export function unexpectedState(message: string, paymentIntent: unknown, param?: string): ApiError {
  const fields: ErrorFields = { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message, payment_intent: paymentIntent };
  if (param !== undefined) fields.param = param;
  return new ApiError(400, fields);
}

export function authenticationError(message: string): ApiError {
  // Stripe answers 401 with type invalid_request_error; stripe-node turns any 401 into StripeAuthenticationError.
  return new ApiError(401, { type: 'invalid_request_error', message }, { cacheable: false });
}

export function idempotencyMismatch(key: string): ApiError {
  return new ApiError(
    400,
    {
      type: 'idempotency_error',
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    },
    { cacheable: false },
  );
}

/** The Stripe error an injected fault answers with, or null when the fault is not an error answer. */
export function injectedError(action: string | null, shouldRetry: boolean | undefined): ApiError | null {
  if (action === 'error500') return injectedServerError(shouldRetry);
  if (action === 'rateLimit') return injectedRateLimit(shouldRetry ?? false);
  if (action === 'lockTimeout') {
    return new ApiError(
      429,
      {
        type: 'invalid_request_error',
        code: 'lock_timeout',
        message:
          'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. If you see this error frequently and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate.',
      },
      { cacheable: false, headers: { 'Stripe-Should-Retry': String(shouldRetry ?? true) } },
    );
  }
  if (action === 'conflict') {
    return new ApiError(
      409,
      {
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
        message: 'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): please try again later.',
      },
      { cacheable: false, headers: { 'Stripe-Should-Retry': String(shouldRetry ?? true) } },
    );
  }
  return null;
}

export function injectedServerError(shouldRetry?: boolean): ApiError {
  return new ApiError(
    500,
    {
      type: 'api_error',
      message: "Sorry, something went wrong. We've already been notified of the problem, but if you need any help, you can reach us at https://support.stripe.com/contact.",
    },
    { cacheable: false, headers: shouldRetry === undefined ? {} : { 'Stripe-Should-Retry': String(shouldRetry) } },
  );
}

export function injectedRateLimit(shouldRetry: boolean): ApiError {
  return new ApiError(
    429,
    {
      type: 'rate_limit_error',
      code: 'rate_limit',
      message: 'Request rate limit exceeded. Learn more about rate limits here https://docs.stripe.com/rate-limits.',
    },
    { cacheable: false, headers: { 'Stripe-Should-Retry': shouldRetry ? 'true' : 'false', 'Retry-After': '1' } },
  );
}
