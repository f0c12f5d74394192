/**
 * The Standard Schema interface (standardschema.dev), written out here so routes accept zod,
 * valibot or arktype validators with no runtime dependency. Structural: any validator that
 * implements the spec fits.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (
      value: unknown,
    ) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaIssue> };

export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

export type InferSchemaOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : unknown;

// ---- typed routes ----------------------------------------------------------------------------

/** What a route accepts and answers, at the type level. */
export interface RouteContract<TData = unknown, TResponse = unknown> {
  data: TData;
  response: TResponse;
}

/** A server's route table as the client sees it: `type` -> `action` -> contract. */
export type RouteMap = { [type: string]: { [action: string]: RouteContract } };
