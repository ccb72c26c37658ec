// Times that hydrate cleanly: the server and the browser's first render show the same text (UTC,
// said so), and only after hydration does a time switch to the viewer's zone or to "3 hours ago".
// React compares hydrated text exactly, so a zone or a clock that differs would be error #418/#425.
import { useEffect, useState } from "react";
import { relativeTime } from "../console/list-params";

let hydratedOnce = false;

/** False while rendering on the server and during hydration; true afterwards (and for pages rendered later). */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(hydratedOnce);
  useEffect(() => {
    hydratedOnce = true;
    setHydrated(true);
  }, []);
  return hydrated;
}

const DATE_TIME: Intl.DateTimeFormatOptions = { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" };
const DATE: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric" };

/** "Dec 2, 07:03 UTC" before hydration; "Dec 2, 8:03 PM" in the viewer's zone and locale after. */
export function formatTime(iso: string, hydrated: boolean, options: { dateOnly?: boolean } = {}): string {
  const format = options.dateOnly ? DATE : DATE_TIME;
  const date = new Date(iso);
  if (hydrated) return date.toLocaleString([], format);
  return `${date.toLocaleString("en-US", { ...format, hourCycle: "h23", timeZone: "UTC" })}${options.dateOnly ? "" : " UTC"}`;
}

/** An absolute time, in UTC until hydrated, then in the viewer's zone. */
export function LocalTime({ iso, dateOnly = false }: { iso: string; dateOnly?: boolean }) {
  const hydrated = useHydrated();
  return (
    <time dateTime={iso} title={iso}>
      {formatTime(iso, hydrated, { dateOnly })}
    </time>
  );
}

/** "3 hours ago" once hydrated (the clock keeps moving between server and browser); the UTC time before. */
export function RelativeTime({ iso }: { iso: string }) {
  const hydrated = useHydrated();
  return (
    <time dateTime={iso} title={iso}>
      {hydrated ? relativeTime(iso) : formatTime(iso, false)}
    </time>
  );
}
