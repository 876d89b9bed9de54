// The last page of a sign-in with an OpenID provider, on Tribune's origin.
// It hands the session to the window that opened the sign-in (the widget's
// frame or the console, both on this origin) and closes; with no opener it
// keeps the session for Tribune's pages and goes back to the return address.
// The session is never put in a URL.

const root = document.getElementById('tribune-oidc');
const data = JSON.parse(root.dataset.session);
root.removeAttribute('data-session');
const opener = window.opener;
if (opener && !opener.closed) {
  // Only a window on Tribune's own origin can receive it.
  opener.postMessage({ type: 'tribune:oidc', session: data.session }, window.location.origin);
  window.close();
} else {
  // The console and the widget keep their sessions under their own names.
  const console = new URL(data.return).pathname.includes('/console');
  const name = console ? 'tribune-console-token' : 'tribune-token';
  try { localStorage.setItem(name, data.session.token); } catch { /* storage blocked */ }
  window.location.replace(data.return);
}
