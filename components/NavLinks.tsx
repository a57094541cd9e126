export interface NavLink {
  href: string;
  label: string;
}

/** `href` is the page at `path` or a section above it; `home` counts only for itself. */
function isCurrent(href: string, path: string, home: string): boolean {
  return path === href || (href !== home && path.startsWith(`${href}/`));
}

/** A navigation's links, the current page's (or section's) marked with aria-current. */
export function NavLinks({ links, path, home }: { links: NavLink[]; path: string; home: string }) {
  return (
    <ul>
      {links.map(({ href, label }) => (
        <li key={href}>
          <a href={href} aria-current={isCurrent(href, path, home) ? "page" : undefined}>
            {label}
          </a>
        </li>
      ))}
    </ul>
  );
}
