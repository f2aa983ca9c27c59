// The id alphabet of URL path segments, shared by the HTTP layer (idParam) and the use-cases that
// choose ids (an imported document keeps its id only when a URL can carry it).

const ID_PARAM = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Whether `value` is a well-formed id for a path parameter: letters, digits, '_', '.', ':' and '-', at
 * most 128 characters (lib/workflow IdSchema), and never "..", so a path segment can never climb
 * (`../`, `%2e%2e` once decoded) or carry NUL and control bytes into a query.
 */
export function isIdParam(value: string): boolean {
  return ID_PARAM.test(value) && !value.includes("..");
}
