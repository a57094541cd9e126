import { NavLinks } from "../components/NavLinks.tsx";
import { UserMenu } from "../components/UserMenu.tsx";
import ThemeToggle from "../islands/ThemeToggle.tsx";
import { define } from "../lib/fresh/define.ts";

/** The main navigation, in order; add a section with one line. */
const NAV = [
  { href: "/", label: "Dashboard" },
  { href: "/stocks", label: "Stocks" },
  { href: "/predictions", label: "Predictions" },
  { href: "/models", label: "Models" },
  { href: "/news", label: "News" },
];

/** Shown after NAV to signed-in users: their Telegram link and alert rules. */
const ACCOUNT_NAV = { href: "/account", label: "Account" };

/** Shown after NAV to admins only. */
const ADMIN_NAV = { href: "/admin", label: "Admin" };

export default define.layout(({ Component, url, state }) => (
  <>
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="site-header">
      <a class="brand" href="/">Craveny</a>
      <nav aria-label="Main">
        <NavLinks
          links={[
            ...NAV,
            ...(state.user ? [ACCOUNT_NAV] : []),
            ...(state.user?.role === "admin" ? [ADMIN_NAV] : []),
          ]}
          path={url.pathname}
          home="/"
        />
      </nav>
      {/* Read only when signed in: a visitor's token would set the visitor cookie on every page. */}
      <UserMenu
        user={state.user}
        csrfToken={state.user ? state.csrfToken : ""}
        here={url.pathname + url.search}
      />
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
