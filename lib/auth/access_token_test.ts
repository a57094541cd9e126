// Access tokens are accepted only as issued: HS256 with our key, our issuer and audience, unexpired.
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { generateKeyPair, SignJWT } from "jose";
import {
  type AccessTokenCheck,
  checkAccessToken,
  issueAccessToken,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
} from "./access_token.ts";

const key = crypto.getRandomValues(new Uint8Array(32));
const claims = { userId: 42, session: "0b6d3f4e-9c1a-4c55-8d2e-6f7a8b9c0d1e" };

function part(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** A token with the right claims, signed as `sign` says. */
function signed(header: Record<string, unknown>, payload: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sid: claims.session, ...payload })
    .setProtectedHeader({ alg: "HS256", ...header })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(String(claims.userId))
    .setIssuedAt(now)
    .setExpirationTime(now + 600);
}

function invalid(check: AccessTokenCheck): string {
  assert.equal(check.status, "invalid", JSON.stringify(check));
  return check.status === "invalid" ? check.reason : "";
}

Deno.test("a token as issued is valid and names its user and session", async () => {
  const token = await issueAccessToken(key, claims, 600);
  assert.deepEqual(await checkAccessToken(key, token), { status: "valid", claims });
  const [header, payload] = token.split(".").slice(0, 2)
    .map((p) => JSON.parse(Buffer.from(p, "base64url").toString()));
  assert.deepEqual(header, { alg: "HS256", typ: "JWT" });
  assert.equal(payload.exp - payload.iat, 600);
  assert.equal(payload.iss, "craveny");
  assert.equal(payload.aud, "craveny");
});

Deno.test("a tampered signature or payload is invalid", async () => {
  const token = await issueAccessToken(key, claims, 600);
  const [header, payload, signature] = token.split(".");
  const flipped = `${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${
    signature.at(-1)
  }`;
  invalid(await checkAccessToken(key, `${header}.${payload}.${flipped}`));
  const admin = part({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), sub: "1" });
  invalid(await checkAccessToken(key, `${header}.${admin}.${signature}`));
  invalid(await checkAccessToken(crypto.getRandomValues(new Uint8Array(32)), token));
  invalid(await checkAccessToken(key, "not.a.token"));
  invalid(await checkAccessToken(key, ""));
});

Deno.test("an expired token is told apart (pages may refresh it) but never valid", async () => {
  const token = await issueAccessToken(key, claims, 60, new Date(Date.now() - 120_000));
  assert.deepEqual(await checkAccessToken(key, token), { status: "expired", claims });
  // Expired and tampered: the signature is checked first.
  const [header, payload] = token.split(".");
  invalid(await checkAccessToken(key, `${header}.${payload}.${"A".repeat(43)}`));
});

Deno.test("alg none is refused", async () => {
  const now = Math.floor(Date.now() / 1000);
  const payload = part({
    sub: "42",
    sid: claims.session,
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    iat: now,
    exp: now + 600,
  });
  for (const alg of ["none", "None", "NONE"]) {
    const reason = invalid(await checkAccessToken(key, `${part({ alg, typ: "JWT" })}.${payload}.`));
    assert.match(reason, /ERR_JOSE_ALG_NOT_ALLOWED|ERR_JWS_INVALID/);
  }
});

Deno.test("other algorithms are refused, even signed with our key", async () => {
  const hs512 = await signed({ alg: "HS512" }).sign(new Uint8Array(64).fill(7));
  assert.equal(invalid(await checkAccessToken(key, hs512)), "ERR_JOSE_ALG_NOT_ALLOWED");
  const hs512OurKey = await signed({ alg: "HS512" }).sign(key);
  assert.equal(invalid(await checkAccessToken(key, hs512OurKey)), "ERR_JOSE_ALG_NOT_ALLOWED");
  const { privateKey } = await generateKeyPair("RS256");
  const rs256 = await signed({ alg: "RS256" }).sign(privateKey);
  assert.equal(invalid(await checkAccessToken(key, rs256)), "ERR_JOSE_ALG_NOT_ALLOWED");
});

Deno.test("another issuer or audience, or missing claims, are refused", async () => {
  const wrongIssuer = await signed({}).setIssuer("someone-else").sign(key);
  assert.equal(
    invalid(await checkAccessToken(key, wrongIssuer)),
    "ERR_JWT_CLAIM_VALIDATION_FAILED",
  );
  const wrongAudience = await signed({}).setAudience("another-app").sign(key);
  assert.equal(
    invalid(await checkAccessToken(key, wrongAudience)),
    "ERR_JWT_CLAIM_VALIDATION_FAILED",
  );
  const noSession = await signed({}, { sid: undefined }).sign(key);
  invalid(await checkAccessToken(key, noSession));
  const badSubject = await signed({}).setSubject("admin").sign(key);
  assert.equal(invalid(await checkAccessToken(key, badSubject)), "bad_claims");
  const now = Math.floor(Date.now() / 1000);
  const noExpiry = await new SignJWT({ sid: claims.session })
    .setProtectedHeader({ alg: "HS256" }).setIssuer(TOKEN_ISSUER).setAudience(TOKEN_AUDIENCE)
    .setSubject("42").setIssuedAt(now).sign(key);
  invalid(await checkAccessToken(key, noExpiry));
});
