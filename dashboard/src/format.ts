/** How values read on the page: durations, sizes and times in a few characters. */

/** A duration in milliseconds, such as "850 ms", "12.3 s", "4 min 05 s" or "2 h 03 min". */
export function duration(millis: number | undefined | null): string {
  if (millis === undefined || millis === null || !Number.isFinite(millis) || millis < 0) {
    return '–';
  }
  if (millis < 1000) {
    return `${Math.round(millis)} ms`;
  }
  const seconds = millis / 1000;
  if (seconds < 60) {
    return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  }
  const whole = Math.round(seconds);
  if (whole < 3600) {
    return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  }
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

/** A size in bytes with a binary unit: "512 B", "1.5 KiB", "64.0 MiB". */
export function bytes(size: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = size;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** An ISO-8601 instant as the reader's local date and time to the second; empty for none. */
export function time(iso: string | undefined): string {
  if (!iso) {
    return '';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

/**
 * An amount of US dollars: cents for a dollar or more ("$12.35"), else three significant digits, as a job's cost is
 * often a fraction of a cent ("$0.00116", "$0.0205"); "–" for none.
 */
export function dollars(amount: number | undefined | null): string {
  if (amount === undefined || amount === null || !Number.isFinite(amount)) {
    return '–';
  }
  if (amount === 0) {
    return '$0';
  }
  if (amount >= 1) {
    return `$${amount.toFixed(2)}`;
  }
  // Three significant digits, at most the API's eight decimals, written out (never "2.5e-7"), no trailing zeros.
  const decimals = Math.min(8, 2 - Math.floor(Math.log10(amount)));
  return `$${amount.toFixed(decimals).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** A fraction as a percentage with one decimal: 0.125 is "12.5 %". */
export function percent(fraction: number | undefined): string {
  return fraction === undefined || !Number.isFinite(fraction) ? '–' : `${(fraction * 100).toFixed(1)} %`;
}
