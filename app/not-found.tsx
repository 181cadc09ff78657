import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="centered">
      <div className="card">
        <h1>Page not found</h1>
        <p className="muted">That address does not exist on this Confab server.</p>
        <Link className="button" href="/lobby">
          Go to the lobby
        </Link>
      </div>
    </main>
  );
}
