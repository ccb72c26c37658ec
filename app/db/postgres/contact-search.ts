// PostgreSQL's contact search (docs/decisions/013): a pg_trgm index on one expression over the
// contact's searchable fields (migration contact_search). Autovacuum keeps it compact.
import { containsPattern, type SqlValue } from "../seam";

/** The expression the trigram index is built on: repeated exactly, or the index is not used. */
export const SEARCH_TEXT = `lower(coalesce(c."externalId", '') || chr(1) || coalesce(c."email", '') || chr(1) || coalesce(c."name", '') || chr(1) || coalesce(c."company", ''))`;

/** Contacts (aliased `c`) whose external id, email, name or company contains `q`, ignoring case. */
export function searchCondition(q: string, params: SqlValue[]): string {
  // lower() on both sides: the database's case mapping, not JavaScript's, which differs for some letters.
  params.push(containsPattern(q));
  return `${SEARCH_TEXT} LIKE lower(?) ESCAPE '\\'`;
}
