import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { AppProvider, Banner, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import english from "@shopify/polaris/locales/en.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { useState } from "react";
import { checkFormOrigin, consoleCookieHeader, readConsoleSession, safeNext } from "../console/auth.server";
import { signIn } from "../console/sign-in.server";
import { clientIp, clientKey } from "../http/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Sign in · Convot console" }];

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (await readConsoleSession(request)) throw redirect(safeNext(new URL(request.url).searchParams.get("next")));
  return null;
};

export const action = async ({ request }: ActionFunctionArgs) => {
  checkFormOrigin(request);
  const form = await request.formData();
  const result = await signIn(String(form.get("email") ?? ""), String(form.get("password") ?? ""), clientKey(clientIp(request)));
  if (!result.ok) return { error: result.message };
  return redirect(safeNext(String(form.get("next") ?? "")), {
    headers: { "Set-Cookie": await consoleCookieHeader(request, result.sessionId) },
  });
};

export default function Login() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  return (
    <AppProvider i18n={english}>
      <main>
        <Page narrowWidth title="Convot console">
          <Card>
            <Form method="post">
              <FormLayout>
                <Text as="p" tone="subdued">
                  Sign in to see your merchants' context.
                </Text>
                {data?.error ? <Banner tone="critical">{data.error}</Banner> : null}
                <input type="hidden" name="next" value={params.get("next") ?? ""} />
                <TextField label="Email" name="email" type="email" value={email} onChange={setEmail} autoComplete="username" />
                <TextField label="Password" name="password" type="password" value={password} onChange={setPassword} autoComplete="current-password" />
                <Button submit variant="primary">
                  Sign in
                </Button>
              </FormLayout>
            </Form>
          </Card>
        </Page>
      </main>
    </AppProvider>
  );
}
