// Type check of the installed package's declarations, as a TypeScript user would meet them:
// `deno check suite/types-check.ts` from target/runtime-app (Deno's built-in TypeScript reads
// the "types" export condition). Never executed. The @ts-expect-error lines prove the types are
// real (they fail as "unused" if the declarations degrade to `any`).
import {
  OAuth1Flow,
  OAuth1Signer,
  OAuthEdgeError,
  init,
  type OAuth1SignerOptions,
  type OAuthEdgeErrorCode,
  type SignedRequest,
} from "oauth-edge";
import { init as manualInit, OAuth1Signer as ManualSigner } from "oauth-edge/manual";

const options: OAuth1SignerOptions = { consumerKey: "k", consumerSecret: "s", signatureMethod: "HMAC-SHA256", placement: "query" };
const signer = new OAuth1Signer(options);
const signed: SignedRequest = signer.sign({ url: "https://api.example/x", form: { a: ["1", "2"] }, nonce: "n", timestamp: 1 });
const headers: Record<string, string> = signed.headers;

// The documented one-argument form and the form-POST form.
const r1: Promise<Response> = signer.fetch("https://api.example/x");
const r2: Promise<Response> = signer.fetch(new URL("https://api.example/x"), { method: "POST", form: { a: "1" } });
const r3: Promise<Response> = signer.fetch(new Request("https://api.example/x"), { headers: { Accept: "application/json" }, bodyHash: false });

try {
  signer.sign({ url: "http://example.com/" });
} catch (e) {
  if (e instanceof OAuthEdgeError) {
    const code: OAuthEdgeErrorCode = e.code;
    const status: number | undefined = e.status;
    const asError: Error = e;
    // @ts-expect-error not one of the documented codes
    if (e.code === "NOT_A_CODE") throw asError;
    void code, status;
  }
}

const flow = new OAuth1Flow({
  consumerKey: "k",
  consumerSecret: "s",
  requestTokenUrl: "https://p.example/request",
  authorizeUrl: "https://p.example/authorize",
  accessTokenUrl: "https://p.example/access",
});
const pending = await flow.start({ callback: "https://app.example/cb" });
const authorizationUrl: string = pending.authorizationUrl;
const creds = await flow.finish({ requestToken: pending.requestToken, requestTokenSecret: pending.requestTokenSecret, callbackUrl: "https://app.example/cb?oauth_token=t&oauth_verifier=v" });
const token: string = creds.token;
const extra: Record<string, string> = creds.params;

await init();
await manualInit(new Uint8Array(0));
const manualSigner: OAuth1Signer = new ManualSigner({ consumerKey: "k", consumerSecret: "s" });

// @ts-expect-error signatureMethod is a closed union
new OAuth1Signer({ consumerKey: "k", consumerSecret: "s", signatureMethod: "RSA-SHA1" });
// @ts-expect-error consumerSecret is required
new OAuth1Signer({ consumerKey: "k" });
// @ts-expect-error sign() needs a url
signer.sign({});

export { authorizationUrl, extra, headers, manualSigner, r1, r2, r3, token };

// "oauth-edge/oauth1" has the same OAuth 1.0a surface, typed (no `any`).
import * as oauth1 from "oauth-edge/oauth1";
const signer1 = new oauth1.OAuth1Signer({ consumerKey: "k", consumerSecret: "s", signatureMethod: "HMAC-SHA256" });
const signed1: oauth1.SignedRequest = signer1.sign({ url: "https://api.example/x" });
const code1: oauth1.OAuthEdgeErrorCode = "INSECURE_URL";
// @ts-expect-error: not a signature method
new oauth1.OAuth1Signer({ consumerKey: "k", consumerSecret: "s", signatureMethod: "MD5" });
void signed1, code1;
