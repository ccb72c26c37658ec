// Messages between the host page (loader) and the panel iframe. Both sides check the sender's
// origin and window before acting. The panel posts ready to the host's origin only; the host's
// answer (hello) is what proves to the panel that its parent is the host (docs/decisions/015).
export type HostToPanel =
  | { type: "convot:hello" }
  | { type: "convot:identify"; fields: Record<string, unknown> }
  | { type: "convot:session-data"; data: Record<string, unknown> }
  | { type: "convot:opened"; open: boolean }
  | { type: "convot:token-request"; id: number };

export type PanelToHost =
  | { type: "convot:ready" }
  | { type: "convot:close" }
  | { type: "convot:unread"; count: number }
  | { type: "convot:identified"; verified: boolean; contactId: number | null }
  | { type: "convot:token"; id: number; token: string | null };
