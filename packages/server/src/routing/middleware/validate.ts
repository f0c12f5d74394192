import {
  ErrorCode,
  type ErrorIssue,
  RoomcastError,
  type StandardSchemaIssue,
  type StandardSchemaV1,
} from '@roomcast/protocol';
import type { RouteMiddleware } from './compose';

/**
 * A route's `schema` (any Standard Schema: zod, valibot, arktype) as the innermost middleware:
 * data failing it is answered `INVALID_MESSAGE` with the issues' paths, and the handler gets the
 * schema's output.
 *
 * @example
 * const validate = validationMiddleware(z.object({ text: z.string() }));
 */
export function validationMiddleware(schema: StandardSchemaV1): RouteMiddleware {
  return async function validateData(ctx, next) {
    const result = await schema['~standard'].validate(ctx.data);
    if (result.issues) throw invalid(result.issues);
    ctx.data = result.value;
    await next();
  };
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
