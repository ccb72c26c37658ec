import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { landingPage } from "./landing.server";
import styles from "./styles.module.css";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  // Shopify opens the app URL with ?shop=… when a merchant installs or launches it.
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return landingPage();
};

export default function Landing() {
  const page = useLoaderData<typeof loader>();
  return (
    <main className={styles.page}>
      <h1>Convot for Shopify</h1>
      <p className={styles.lede}>
        Installs the Convot chat widget on Shopify storefronts, identifies merchants with signed hashes and turns
        Shopify webhooks into contact events your support team can read.
      </p>
      {page.demo ? (
        <section aria-labelledby="try">
          <h2 id="try">Demo mode — what to try</h2>
          <p>
            Running on <strong>{page.databaseEngine}</strong>, without Shopify. The demo shop is{" "}
            <code>{page.demoShop}</code>; the Shopify app's own Convot app key is <code>{page.appKey ?? "(not set)"}</code>.
          </p>
          <ol className={styles.steps}>
            {page.steps.map((step) => (
              <li key={step.title}>
                <strong>{step.title}</strong>
                <p>{step.detail}</p>
                {step.command ? <pre>{step.command}</pre> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : (
        <p>
          Merchants install this app from the Shopify App Store; open it from your Shopify admin, or{" "}
          <a href="/auth/login">log in with your shop domain</a>.
        </p>
      )}
    </main>
  );
}
