// A key/value list (identity, custom data, session data), rendered as text. A term never
// breaks inside a word (a narrow column would show "Compan/y"); a long value wraps anywhere.
export function KeyValueList({ items, testId }: { items: { key: string; value: string }[]; testId: string }) {
  return (
    <dl data-testid={testId} style={{ display: "grid", gridTemplateColumns: "auto 1fr", gap: "4px 16px", margin: 0 }}>
      {items.map((item) => (
        <div key={item.key} style={{ display: "contents" }}>
          <dt style={{ color: "#616161", whiteSpace: "nowrap" }}>{item.key}</dt>
          <dd style={{ margin: 0, overflowWrap: "anywhere" }}>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
