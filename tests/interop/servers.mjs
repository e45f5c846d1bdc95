// Interoperability fixtures: two authorization servers this project did not write
// (`oidc-provider` from npm, unmodified) and a small API, all on loopback.
//
// - The identity provider: code + PKCE for the app (oidc-provider's own sign-in and consent
//   pages), `private_key_jwt` for the agent with assertion `aud` = the issuer only (as RFC
//   7523bis asks; oidc-provider itself also accepts endpoint URLs, so that is narrowed with its
//   own `assertJwtClientAuthClaimsAndHeader` hook), `jti` replay refused by oidc-provider,
//   CORS per client, introspection, revocation.
// - The resource authorization server: `client_secret_basic` for the agent, introspection,
//   revocation.
// - The API: RFC 9728 protected-resource metadata naming the resource server, and a bearer
//   check through the resource server's own token store.
//
// TEST SCAFFOLDING: oidc-provider has no token exchange and no JWT bearer grant. The two
// handlers below add the minimum of each that the Identity Assertion Authorization Grant
// draft needs, and validate what the draft says (token types, signature, typ, iss, aud,
// client_id, lifetime, single use). They are fixtures for the tests, not a reference
// implementation.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import * as jose from 'jose';
import Provider, { errors } from 'oidc-provider';

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token';
const ID_JAG_TYPE = 'urn:ietf:params:oauth:token-type:id-jag';
const ID_JAG_TYP = 'oauth-id-jag+jwt';

/** Client IDs and the secret the tests configure in the app. */
export const CLIENTS = {
  app: 'interop-app',
  agentAtIdp: 'interop-agent',
  agentAtRs: 'interop-agent-at-rs',
  agentAtRsSecret: 'interop-rs-secret-3c1f',
};

const ALICE = { sub: 'alice', name: 'Alice Example', email: 'alice@example.com' };

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

function quiet(provider) {
  // oidc-provider logs its development warnings; the tests read the responses instead.
  provider.on('server_error', (_ctx, e) => console.error('oidc-provider server_error', e));
}

/** Starts both servers and the API; `app` is the app's URL (its origin and redirect URI). */
export async function startInterop({ idpPort, rsPort, apiPort, app, root }) {
  const IDP = `http://127.0.0.1:${idpPort}`;
  const RS = `http://127.0.0.1:${rsPort}`;
  const API = `http://127.0.0.1:${apiPort}`;
  const RESOURCE = `${API}/api/files`;
  const appOrigin = new URL(app).origin;
  const agent = JSON.parse(readFileSync(join(root, 'demo/agent-private-key.DEMO-ONLY.jwk.json'), 'utf8'));
  const { d: _d, ...agentPublic } = agent;

  const { privateKey } = await jose.generateKeyPair('ES256', { extractable: true });
  const idpKey = { ...(await jose.exportJWK(privateKey)), kid: 'interop-idp-1', alg: 'ES256', use: 'sig' };
  const idpPublic = await jose.importJWK({ ...idpKey, d: undefined }, 'ES256');
  const cors = (ctx, origin) => origin === appOrigin;
  const common = {
    cookies: { keys: ['interop-cookie-key-not-secret'] },
    features: {
      devInteractions: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
    },
    clientBasedCORS: cors,
    pkce: { required: () => true },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ ...ALICE, sub }) }),
    claims: { openid: ['sub'], profile: ['name'], email: ['email'] },
  };
  const rsKey = { ...(await jose.exportJWK((await jose.generateKeyPair('ES256', { extractable: true })).privateKey)), kid: 'interop-rs-1', alg: 'ES256', use: 'sig' };
  const es256 = { id_token_signed_response_alg: 'ES256' };

  // The identity provider.
  const idp = new Provider(IDP, {
    ...common,
    jwks: { keys: [idpKey] },
    clients: [
      { ...es256, client_id: CLIENTS.app, token_endpoint_auth_method: 'none', redirect_uris: [app], grant_types: ['authorization_code'], response_types: ['code'] },
      { ...es256, client_id: CLIENTS.agentAtIdp, token_endpoint_auth_method: 'private_key_jwt', token_endpoint_auth_signing_alg: 'ES256', jwks: { keys: [agentPublic] }, grant_types: [TOKEN_EXCHANGE], redirect_uris: [], response_types: [] },
    ],
    async assertJwtClientAuthClaimsAndHeader(_ctx, claims) {
      if (claims.aud !== IDP) throw new errors.InvalidClientAuth('audience (aud) must equal the issuer identifier url');
    },
  });
  quiet(idp);
  // SCAFFOLDING: RFC 8693 token exchange of an ID token for an ID-JAG.
  idp.registerGrantType(TOKEN_EXCHANGE, async (ctx) => {
    const p = ctx.oidc.params;
    if (p.requested_token_type !== ID_JAG_TYPE) throw new errors.InvalidRequest(`requested_token_type must be ${ID_JAG_TYPE}`);
    if (p.subject_token_type !== ID_TOKEN_TYPE) throw new errors.InvalidRequest(`subject_token_type must be ${ID_TOKEN_TYPE}`);
    if (p.audience !== RS) throw new errors.InvalidTarget(`audience must be a known authorization server (${RS})`);
    let idToken;
    try {
      idToken = (await jose.jwtVerify(p.subject_token, idpPublic, { issuer: IDP })).payload;
    } catch (e) {
      throw new errors.InvalidGrant(`subject_token is not an ID token of this server: ${e.message}`);
    }
    const scope = p.scope || 'files.read';
    if (!scope.split(' ').every((s) => ['files.read', 'files.write'].includes(s))) throw new errors.InvalidScope('only files.read and files.write');
    const now = Math.floor(Date.now() / 1000);
    const jag = await new jose.SignJWT({ client_id: CLIENTS.agentAtRs, scope, jti: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: idpKey.kid, typ: ID_JAG_TYP })
      .setIssuer(IDP).setSubject(idToken.sub).setAudience(RS).setIssuedAt(now).setExpirationTime(now + 300)
      .sign(privateKey);
    ctx.body = { access_token: jag, issued_token_type: ID_JAG_TYPE, token_type: 'N_A', expires_in: 300, scope };
  }, ['subject_token', 'subject_token_type', 'requested_token_type', 'audience', 'resource', 'scope']);

  // The resource authorization server.
  const rs = new Provider(RS, {
    ...common,
    jwks: { keys: [rsKey] },
    clients: [
      { ...es256, client_id: CLIENTS.agentAtRs, client_secret: CLIENTS.agentAtRsSecret, token_endpoint_auth_method: 'client_secret_basic', grant_types: [JWT_BEARER], redirect_uris: [], response_types: [] },
    ],
  });
  quiet(rs);
  const idpKeys = jose.createRemoteJWKSet(new URL(`${IDP}/jwks`));
  const usedJti = new Set();
  // SCAFFOLDING: RFC 7523 JWT bearer grant redeeming an ID-JAG (the draft's section 4.3).
  rs.registerGrantType(JWT_BEARER, async (ctx) => {
    const p = ctx.oidc.params;
    let jag;
    try {
      ({ payload: jag } = await jose.jwtVerify(p.assertion, idpKeys, { issuer: IDP, audience: RS, typ: ID_JAG_TYP, maxTokenAge: '10m' }));
    } catch (e) {
      throw new errors.InvalidGrant(`the assertion is not a valid ID-JAG for this server: ${e.message}`);
    }
    if (jag.client_id !== ctx.oidc.client.clientId) throw new errors.InvalidGrant(`the ID-JAG was issued for client ${jag.client_id}`);
    if (!jag.jti || usedJti.has(jag.jti)) throw new errors.InvalidGrant('the ID-JAG was already used');
    usedJti.add(jag.jti);
    const granted = (jag.scope || '').split(' ').filter(Boolean);
    const asked = (p.scope || jag.scope || '').split(' ').filter(Boolean);
    const scope = asked.filter((s) => granted.includes(s)).join(' ');
    if (!scope) throw new errors.InvalidScope('none of the requested scopes is in the ID-JAG');
    const grant = new rs.Grant({ accountId: jag.sub, clientId: ctx.oidc.client.clientId });
    grant.addOIDCScope(scope);
    const grantId = await grant.save();
    const token = new rs.AccessToken({ accountId: jag.sub, client: ctx.oidc.client, grantId, scope });
    const value = await token.save();
    ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope };
  }, ['assertion', 'scope', 'resource']);

  // The API: RFC 9728 metadata, and each bearer token looked up in the resource server.
  const api = http.createServer(async (req, res) => {
    const headers = { 'access-control-allow-origin': appOrigin, 'access-control-expose-headers': 'www-authenticate', vary: 'origin' };
    const send = (status, body, extra = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers, ...extra });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url, API);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...headers, 'access-control-allow-headers': 'authorization, content-type, accept', 'access-control-allow-methods': 'GET, POST' });
      return res.end();
    }
    if (url.pathname === '/.well-known/oauth-protected-resource/api/files') {
      return send(200, { resource: RESOURCE, authorization_servers: [RS], scopes_supported: ['files.read', 'files.write'], bearer_methods_supported: ['header'] });
    }
    if (!url.pathname.startsWith('/api/files')) return send(404, { error: 'not_found' });
    const challenge = { 'www-authenticate': `Bearer resource_metadata="${API}/.well-known/oauth-protected-resource/api/files"` };
    const value = /^Bearer (.+)$/.exec(req.headers.authorization || '')?.[1];
    const token = value && (await rs.AccessToken.find(value));
    if (!token || token.isExpired) {
      return send(401, { error: 'invalid_token' }, { 'www-authenticate': `Bearer error="invalid_token", resource_metadata="${API}/.well-known/oauth-protected-resource/api/files"` });
    }
    if (!token.scope?.split(' ').includes('files.read')) return send(403, { error: 'insufficient_scope' }, challenge);
    return send(200, { api: 'Interop Files API', caller: { sub: token.accountId, client_id: token.clientId, scope: token.scope }, items: [{ id: 'doc-1', owner: token.accountId }] });
  });

  const servers = [
    await listen(http.createServer(idp.callback()), idpPort),
    await listen(http.createServer(rs.callback()), rsPort),
    await listen(api, apiPort),
  ];
  return {
    idp: IDP,
    rs: RS,
    api: API,
    resource: RESOURCE,
    stop: () => Promise.all(servers.map((s) => new Promise((r) => { s.closeAllConnections?.(); s.close(() => r()); }))),
  };
}
