// A real OpenID provider (npm `oidc-provider`) on loopback for the end-to-end tests of
// single sign-on. Usage: node provider.mjs PORT REDIRECT_URI
//
// Each start signs with a fresh RSA key under a fresh key id, so restarting it is a
// key rotation. Its sign-in page (the package's development pages) takes any login
// as the subject; these subjects carry claims:
//   chair-sub       chair@scr.example, verified
//   impostor-sub    chair@scr.example, verified (another subject, the same address)
//   unverified-sub  manager@scr.example, not verified
//   admin-sub       admin@scr.example, verified (an administrator: never bound by a provider)
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const [port, redirectUri] = process.argv.slice(2);
const accounts = {
  'chair-sub': { email: 'chair@scr.example', email_verified: true },
  'impostor-sub': { email: 'chair@scr.example', email_verified: true },
  'unverified-sub': { email: 'manager@scr.example', email_verified: false },
  'admin-sub': { email: 'admin@scr.example', email_verified: true },
};
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };

const provider = new Provider(`http://localhost:${port}`, {
  clients: [{
    client_id: 'scr',
    client_secret: 'scr-test-client-secret',
    redirect_uris: [redirectUri],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [jwk] },
  pkce: { methods: ['S256'], required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  conformIdTokenClaims: false,
  cookies: { keys: ['a test cookie key'] },
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, ...(accounts[id] ?? {}) }),
  }),
});
// Loopback only, on both address families: a browser may try `localhost` as ::1 first.
const handler = provider.callback();
createServer(handler).listen(Number(port), '::1').on('error', () => {});
createServer(handler).listen(Number(port), '127.0.0.1', () => {
  console.log(`listening ${jwk.kid}`);
});
