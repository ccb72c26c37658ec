// Runs before each test file: points DATABASE_URL at a database of the file's own.
import { createTestDatabase } from "./database";

process.env.DATABASE_URL = await createTestDatabase();
