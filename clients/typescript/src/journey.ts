// The journey a client developer's app makes, through the client generated from clients/openapi/v1.json:
// register, sign in, find a user, send a request, accept it, post a status, read the feed, read the event stream.
// Usage: BASE_URL=http://localhost:5000 node dist/journey.js
import createClient from "openapi-fetch";
import type { paths } from "./api.js";

declare const process: { env: Record<string, string | undefined> };

const baseUrl = process.env.BASE_URL ?? "http://localhost:5000";
const password = "Journey!pass123";
const suffix = Date.now().toString(36);

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function signedUpAndIn(userName: string) {
  const anonymous = createClient<paths>({ baseUrl });
  const registered = await anonymous.POST("/api/v1/auth/register", {
    body: { userName, email: `${userName}@example.com`, displayName: `TS ${userName}`, password },
  });
  check(registered.data?.userName === userName, `register ${userName}: ${JSON.stringify(registered.error)}`);

  const signedIn = await anonymous.POST("/api/v1/auth/login", { body: { login: userName, password } });
  check(signedIn.data?.accessToken, `login ${userName}: ${JSON.stringify(signedIn.error)}`);
  return createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${signedIn.data.accessToken}` } });
}

const aliceName = `tsalice${suffix}`;
const bobName = `tsbob${suffix}`;
const alice = await signedUpAndIn(aliceName);
const bob = await signedUpAndIn(bobName);

const found = await alice.GET("/api/v1/users", { params: { query: { search: bobName, limit: 10 } } });
check(found.data?.items.some((u) => u.user.userName === bobName), `search did not find ${bobName}`);

const sent = await alice.POST("/api/v1/friend-requests", { body: { userName: bobName } });
check(sent.data?.outcome === "RequestSent", `send request: ${JSON.stringify(sent.error ?? sent.data)}`);

const incoming = await bob.GET("/api/v1/friend-requests/incoming");
const request = incoming.data?.items.find((r) => r.otherUser.userName === aliceName);
check(request, `${bobName} has no request from ${aliceName}`);

const accepted = await bob.POST("/api/v1/friend-requests/{id}/accept", { params: { path: { id: request.id } } });
check(accepted.response.status === 204, `accept: ${accepted.response.status} ${JSON.stringify(accepted.error)}`);

const text = `Hello from the TypeScript client ${suffix}`;
const posted = await alice.POST("/api/v1/statuses", { body: { text } });
check(posted.data?.text === text, `post status: ${JSON.stringify(posted.error)}`);
const status = posted.data;

const feed = await bob.GET("/api/v1/feed", { params: { query: { limit: 20 } } });
check(feed.data?.items.some((item) => item.statusId === status.statusId && item.author.userName === aliceName),
  `${bobName}'s feed lacks the status: ${JSON.stringify(feed.data ?? feed.error)}`);

// The stream from the beginning (Last-Event-ID: 0): Bob has been notified of Alice's request and of her status.
const abort = new AbortController();
const stream = await bob.GET("/api/v1/events", { parseAs: "stream", headers: { "Last-Event-ID": "0" }, signal: abort.signal });
check(stream.response.ok && stream.data, `events: ${stream.response.status}`);
const reader = stream.data.pipeThrough(new TextDecoderStream()).getReader();
let received = "";
const deadline = setTimeout(() => abort.abort(), 10_000);
try {
  while (!received.includes('"kind":"StatusPosted"')) {
    const { value, done } = await reader.read();
    if (done) break;
    received += value;
  }
} catch (e) {
  if (!abort.signal.aborted) throw e;
} finally {
  clearTimeout(deadline);
  abort.abort();
}
check(/^id: \d+\nevent: notification\ndata: /m.test(received), `no notification event in the stream:\n${received}`);
check(received.includes('"kind":"StatusPosted"') && received.includes(`"userName":"${aliceName}"`),
  `the stream lacks the notification of ${aliceName}'s status:\n${received}`);

console.log(`journey ok: ${aliceName} and ${bobName} are friends, the status reached the feed and the event stream`);
