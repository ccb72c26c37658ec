// The PostgreSQL driver adapter for Prisma's JS schema engine (migrate deploy/diff).
// @prisma/adapter-pg 6.19 cannot deserialize the catalog's `name` and `"char"` columns that
// the schema engine reads (prisma/prisma#27403), so this adapter reports them as text.
// Only the CLI uses it; the app's runtime client uses PrismaPg unchanged.
import { PrismaPg } from "@prisma/adapter-pg";

const TEXT_OID = 25;
const CATALOG_TEXT_OIDS = new Set([18 /* "char" */, 19 /* name */]);
const patched = new WeakSet<object>();

type PerformIO = (...args: unknown[]) => Promise<{ fields: { dataTypeID: number }[] }>;

function reportCatalogTypesAsText(queryable: object) {
  let proto: Record<string, unknown> | null = Object.getPrototypeOf(queryable);
  while (proto && !Object.hasOwn(proto, "performIO")) proto = Object.getPrototypeOf(proto);
  if (!proto || patched.has(proto)) return;
  const performIO = proto.performIO as PerformIO;
  proto.performIO = async function (this: unknown, ...args: unknown[]) {
    const result = await performIO.apply(this, args);
    for (const field of result.fields) if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
    return result;
  };
  patched.add(proto);
}

export class PrismaPgForMigrations extends PrismaPg {
  override async connect() {
    const adapter = await super.connect();
    reportCatalogTypesAsText(adapter);
    return adapter;
  }

  override async connectToShadowDb() {
    const adapter = await super.connectToShadowDb();
    reportCatalogTypesAsText(adapter);
    return adapter;
  }
}
