import Link from 'next/link';

/** Rendered with HTTP 403 wherever a page calls forbidden() (e.g. /admin for non-admins). */
export default function Forbidden() {
  return (
    <main className="centered">
      <div className="card" data-testid="forbidden">
        <p className="muted">Error 403</p>
        <h1>You do not have access to this page</h1>
        <p className="muted">This part of Confab is for admins. If you need access, ask one of your admins.</p>
        <Link className="button" href="/lobby">
          Go to the lobby
        </Link>
      </div>
    </main>
  );
}
