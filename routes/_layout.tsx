import ThemeToggle from "../islands/ThemeToggle.tsx";
import { define } from "../lib/fresh/define.ts";

const NAV = [
  { href: "/", label: "Dashboard" },
  { href: "/stocks", label: "Stocks" },
  { href: "/predictions", label: "Predictions" },
  { href: "/models", label: "Models" },
];

function isCurrent(href: string, path: string): boolean {
  return href === "/" ? path === "/" : path === href || path.startsWith(`${href}/`);
}

export default define.layout(({ Component, url }) => (
  <>
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="site-header">
      <a class="brand" href="/">Craveny</a>
      <nav aria-label="Main">
        <ul>
          {NAV.map(({ href, label }) => (
            <li key={href}>
              <a href={href} aria-current={isCurrent(href, url.pathname) ? "page" : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <ThemeToggle />
    </header>
    <main id="main" class="content">
      <Component />
    </main>
    <footer class="site-footer">
      <p>
        Craveny is an open platform for testing AI stock predictions honestly. Nothing here is
        investment advice.
      </p>
    </footer>
  </>
));
