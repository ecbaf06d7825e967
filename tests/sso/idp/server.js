// A real OpenID Connect provider for the SSO tests (tests/sso/), started by them in its own process.
//
// One process serves one issuer per entry of the JSON configuration file named on the command line,
// each on its own port, standing in for one municipality's identity provider (OS2faktor, AD FS, Entra ID):
//
//   { "issuers": [ { "port": 41001, "clients": [ {client_id, client_secret, redirect_uris} ],
//                    "accounts": "/tmp/.../accounts.json" } ] }
//
// The accounts file ({ "login": { "password": "...", "claims": { "name": ..., "groups": [...] } } }) is
// read again at every sign-in and every userinfo request, so a test changes a user's groups between two
// logins by rewriting it, as an administrator would in the real provider. The login form checks the
// password; consent is given by the provider (as municipal providers do for their suppliers' systems).
// Signing keys and cookie keys are made when the process starts: nothing secret is stored.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));

const page = (title, body) => `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title>`
  + `</head><body><h1>${title}</h1>${body}</body></html>`;
const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function readForm(req) {
  let raw = '';
  for await (const chunk of req) raw += chunk;
  return Object.fromEntries(new URLSearchParams(raw));
}

function startIssuer({ port, clients, accounts: accountsFile }) {
  const accounts = () => JSON.parse(readFileSync(accountsFile, 'utf8'));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients,
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email'],
      groups: ['groups'],
    },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    async findAccount(ctx, sub) {
      const account = accounts()[sub];
      if (!account) return undefined;
      return { accountId: sub, async claims() { return { sub, ...accounts()[sub].claims }; } };
    },
    // The provider, not the employee, consents on behalf of the municipality.
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid profile email groups');
      await grant.save();
      return grant;
    },
  });

  const oidc = provider.callback();
  const server = createServer(async (req, res) => {
    const match = req.url.match(/^\/interaction\/([\w-]+)$/);
    if (!match) return oidc(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (req.method === 'GET') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        return res.end(page('Sign in', `<form method="post" action="/interaction/${escape(details.uid)}">`
          + '<label>Login <input name="login" autocomplete="username"></label>'
          + '<label>Password <input type="password" name="password" autocomplete="current-password"></label>'
          + '<button type="submit">Sign in</button></form>'));
      }
      const form = await readForm(req);
      const account = accounts()[form.login];
      if (!account || account.password !== form.password) {
        res.statusCode = 401;
        res.setHeader('content-type', 'text/html; charset=utf-8');
        return res.end(page('Sign in', '<p role="alert">Wrong login or password</p>'));
      }
      return await provider.interactionFinished(req, res, { login: { accountId: form.login } },
        { mergeWithLastSubmission: false });
    } catch (err) {
      res.statusCode = 400;
      return res.end(String(err));
    }
  });
  server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
}

config.issuers.forEach(startIssuer);
