// Money as the user reads it: "$1,250.00", or "$1,250" for totals, where cents are noise.
export function money(cents, currency, { whole = false } = {}) {
  const code = currency || "USD";
  try {
    const digits = whole ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {};
    return new Intl.NumberFormat("en-US", { style: "currency", currency: code, ...digits }).format(cents / 100);
  } catch {
    return `${(cents / 100).toFixed(whole ? 0 : 2)} ${code}`; // a code Intl doesn't know
  }
}
