/** One entry of Intercom's `error.list`. `field` names the offending parameter, when there is one. */
export interface IntercomError {
  code: string;
  message: string;
  field?: string;
}

/** Intercom's error body: every 4xx and 5xx Tally sends has this shape. */
export interface ErrorList {
  type: 'error.list';
  request_id: string;
  errors: IntercomError[];
}

export function errorList(requestId: string, errors: IntercomError[]): ErrorList {
  return { type: 'error.list', request_id: requestId, errors };
}
