import {
  ErrorCode,
  type ErrorIssue,
  RoomcastError,
  type StandardSchemaIssue,
  type StandardSchemaResult,
  type StandardSchemaV1,
} from '@roomcast/protocol';
import {
  isThenable,
  type MiddlewareContext,
  type MiddlewareNext,
  passesThrough,
  type RouteMiddleware,
} from './compose';

/**
 * A route's `schema` (any Standard Schema: zod, valibot, arktype) as the innermost middleware:
 * data failing it is answered `INVALID_MESSAGE` with the issues' paths, and the handler gets the
 * schema's output.
 *
 * @example
 * const validate = validationMiddleware(z.object({ text: z.string() }));
 */
export function validationMiddleware(schema: StandardSchemaV1): RouteMiddleware {
  return passesThrough<RouteMiddleware>(function validateData(ctx, next) {
    const result = schema['~standard'].validate(ctx.data);
    // Most validators (zod among them) answer synchronously: no promise turn for them.
    if (isThenable(result)) return result.then(checked => passOn(checked, ctx, next));
    return passOn(result, ctx, next);
  });
}

function passOn(
  result: StandardSchemaResult<unknown>,
  ctx: MiddlewareContext,
  next: MiddlewareNext,
): Promise<void> {
  if (result.issues) throw invalid(result.issues);
  ctx.data = result.value;
  return next();
}

function invalid(found: readonly StandardSchemaIssue[]): RoomcastError {
  const issues: ErrorIssue[] = found.map(issue => ({
    message: issue.message,
    path: (issue.path ?? []).map(segment => {
      const step = typeof segment === 'object' ? segment.key : segment;
      return typeof step === 'number' ? step : String(step);
    }),
  }));
  const where = issues.map(issue => issue.path?.join('.') || '(root)').join(', ');
  return new RoomcastError(ErrorCode.INVALID_MESSAGE, `Invalid data at ${where}`, { issues });
}
