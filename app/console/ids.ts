// Ids in console URLs: whole numbers only; anything else is "not found".
export function parseConsoleId(raw: string | undefined): number {
  const id = Number(raw);
  if (!raw || !/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id)) throw new Response("Not found", { status: 404 });
  return id;
}
