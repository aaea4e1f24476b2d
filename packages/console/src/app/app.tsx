import { useApi } from './api-context.js';
import { Link, useRoute } from './router.js';
import { SignInDialog } from './sign-in-dialog.js';
import { CreateStreamPage } from '../streams/create-stream-page.js';
import { StreamListPage } from '../streams/stream-list-page.js';
import { StreamPage } from '../stream/stream-page.js';

export function App() {
  const api = useApi();
  const route = useRoute();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <Link to="/" className="brand">
          Riffle <span className="brand-sub">Kinesis Data Streams</span>
        </Link>
        <div className="top-bar-end">
          <span className="region" title="Region">
            {api.settings.region}
          </span>
          {api.settings.auth === 'strict' ? (
            api.signedIn ? (
              <>
                <span className="identity" data-testid="signed-in-as">
                  {api.signedIn.accessKeyId}
                </span>
                <button type="button" className="button button-header" onClick={api.signOut}>
                  Sign out
                </button>
              </>
            ) : (
              <span className="identity">Not signed in</span>
            )
          ) : null}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {route.page === 'streams' ? <StreamListPage /> : null}
        {route.page === 'create' ? <CreateStreamPage /> : null}
        {route.page === 'stream' ? <StreamPage key={route.name} name={route.name} tab={route.tab} /> : null}
        {route.page === 'not-found' ? (
          <section>
            <h1>Page not found</h1>
            <p>
              <Link to="/">Data streams</Link>
            </p>
          </section>
        ) : null}
      </main>
      {api.signInWanted ? <SignInDialog key={String(api.generation)} /> : null}
    </>
  );
}
