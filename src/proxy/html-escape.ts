// Text into HTML: hostnames, messages and captured content come from the network and must never become markup.
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
