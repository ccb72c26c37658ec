import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { landingPage } from "./landing.server";
import styles from "./styles.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = () => [{ title: "Convot for Shopify" }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Shopify opens the app URL with ?shop=… when a merchant installs or launches it.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return landingPage(url.origin);
};

const PLACES = [
  { href: "/preview", label: "Sample storefront with the widget" },
  { href: "/demo", label: "Demo shop's admin" },
  { href: "/demo/inbox", label: "Demo shop's Inbox" },
  { href: "/console", label: "Convot console" },
];

export default function Landing() {
  const page = useLoaderData<typeof loader>();
  return (
    <main className="landing">
      <h1>Convot for Shopify</h1>
      <p className="landing-lede">
        Installs the Convot chat widget on Shopify storefronts, identifies merchants with signed hashes and turns Shopify webhooks into contact events
        your support team can read.
      </p>
      {page.demo ? (
        <>
          <nav className="landing-nav" aria-label="Demo pages">
            <ul>
              {PLACES.map((place) => (
                <li key={place.href}>
                  <a href={place.href}>{place.label}</a> <code>{place.href}</code>
                </li>
              ))}
            </ul>
          </nav>
          <section aria-labelledby="try">
            <h2 id="try">Demo mode — what to try</h2>
            <p>
              Running on <strong>{page.databaseEngine}</strong>, without Shopify. The demo shop is <code>{page.demoShop}</code>; the Shopify app's own
              Convot app key is <code>{page.appKey ?? "(not set)"}</code>.
            </p>
            <ol className="landing-steps">
              {page.steps.map((step) => (
                <li key={step.title}>
                  <strong>{step.title}</strong>
                  <p>{step.detail}</p>
                  {step.commands.map((command) => (
                    <Command key={command} text={command} />
                  ))}
                </li>
              ))}
            </ol>
          </section>
        </>
      ) : (
        <p>
          Merchants install this app from the Shopify App Store; open it from your Shopify admin, or{" "}
          <a href="/auth/login">log in with your shop domain</a>.
        </p>
      )}
    </main>
  );
}

/** A shell command with a button that puts it on the clipboard. */
function Command({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };
  return (
    <div className="landing-command">
      <pre>{text}</pre>
      <button type="button" onClick={copy} aria-label={`Copy: ${text}`}>
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}
