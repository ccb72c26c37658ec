// The tables' row types, as Prisma generates them from the schema: model modules name their rows
// with these instead of writing the shapes again. (Both engines' clients generate the same types.)
export type { ContactModel, AppContactModel } from "./generated/sqlite/models";
