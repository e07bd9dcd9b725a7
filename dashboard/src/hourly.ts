/**
 * The geometry of a program's hour-by-hour charts (GET /programs/{name}/statistics): subjob duration p50 and p95 as
 * lines on one scale, the error rate as bars, and the words a reader hears or sees for one hour. Pure, so Node tests
 * it; views/program.ts draws it as SVG.
 */
import { duration, percent } from './format.js';

export interface HourStatistics {
  hour: string;
  subJobs: number;
  failed: number;
  errorRate: number;
  p50Millis?: number | null;
  p95Millis?: number | null;
  maxMillis?: number | null;
}

/** The drawing area inside a chart's view box, leaving room for the axis labels on the left and below. */
export interface Frame { width: number; height: number; left: number; top: number; right: number; bottom: number }

export function frame(width: number, height: number): Frame {
  return { width, height, left: 52, top: 8, right: width - 8, bottom: height - 20 };
}

/** The x of the middle of hour {@code index} of {@code count}, and the width each hour gets. */
export function slot(f: Frame, index: number, count: number): { x: number; band: number } {
  const band = (f.right - f.left) / Math.max(1, count);
  return { x: f.left + band * (index + 0.5), band };
}

/** The hour under {@code x} (in view-box units), clamped to the hours drawn. */
export function indexAt(f: Frame, count: number, x: number): number {
  const band = (f.right - f.left) / Math.max(1, count);
  return Math.max(0, Math.min(count - 1, Math.floor((x - f.left) / band)));
}

/** The smallest of 1, 2 or 5 × 10^k at or above {@code value}, so the axis reads in round figures. */
export function roundCeiling(value: number): number {
  if (!(value > 0)) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * power).find((c) => c >= value - 1e-9) ?? 10 * power;
}

/** Where one hour's p50 and p95 are drawn. */
export interface DurationPoint { index: number; x: number; p50: number; p95: number }

/**
 * The p50 and p95 of every hour in which subjobs ended, as points (a lone hour is drawn as dots) and as SVG polyline
 * point lists, one per run of such hours (an hour without any breaks the line rather than drawing it through zero),
 * with the top of the scale in milliseconds.
 */
export function durationLines(hours: HourStatistics[], f: Frame):
    { points: DurationPoint[]; p50: string[]; p95: string[]; topMillis: number } {
  const topMillis = roundCeiling(Math.max(0, ...hours.map((h) => h.p95Millis ?? 0)));
  const y = (millis: number) => round(f.bottom - (millis / topMillis) * (f.bottom - f.top));
  const points: DurationPoint[] = [];
  hours.forEach((h, index) => {
    if (h.subJobs > 0 && h.p50Millis != null && h.p95Millis != null) {
      points.push({ index, x: round(slot(f, index, hours.length).x), p50: y(h.p50Millis), p95: y(h.p95Millis) });
    }
  });
  const runs = (pick: (p: DurationPoint) => number) => {
    const lists: string[] = [];
    points.forEach((p, i) => {
      const text = `${p.x},${pick(p)}`;
      if (i > 0 && points[i - 1].index === p.index - 1) {
        lists[lists.length - 1] += ` ${text}`;
      } else {
        lists.push(text);
      }
    });
    return lists;
  };
  return { points, p50: runs((p) => p.p50), p95: runs((p) => p.p95), topMillis };
}

/**
 * One bar per hour in which subjobs ended, its height the hour's error rate on a scale up to a round share at or above
 * the highest (at most 100 %), so that a rate of 1 % still shows.
 */
export function errorBars(hours: HourStatistics[], f: Frame):
    { topRate: number; bars: { index: number; x: number; y: number; width: number; height: number }[] } {
  const topRate = Math.min(1, roundCeiling(Math.max(0, ...hours.map((h) => (h.subJobs > 0 ? h.errorRate : 0)))));
  const bars = hours.flatMap((h, i) => {
    if (h.subJobs === 0) {
      return [];
    }
    const { x, band } = slot(f, i, hours.length);
    const height = Math.max(0, Math.min(1, h.errorRate / topRate)) * (f.bottom - f.top);
    const width = Math.max(1, band * 0.7);
    return [{ index: i, x: round(x - width / 2), y: round(f.bottom - height), width: round(width), height: round(height) }];
  });
  return { topRate, bars };
}

/** "10:00 UTC", the start of the hour. */
export function hourLabel(iso: string): string {
  return `${new Date(iso).toISOString().slice(11, 16)} UTC`;
}

/** One hour in words, for the readout beside the charts and for screen readers. */
export function describe(h: HourStatistics): string {
  if (h.subJobs === 0) {
    return `${hourLabel(h.hour)}: no subjob ended`;
  }
  return `${hourLabel(h.hour)}: ${h.subJobs} subjob${h.subJobs === 1 ? '' : 's'}, p50 ${duration(h.p50Millis)}, `
    + `p95 ${duration(h.p95Millis)}, errors ${percent(h.errorRate)} (${h.failed})`;
}

/** The hour a key moves the selection to: arrows one hour, Home and End the first and last; null for other keys. */
export function step(index: number, key: string, count: number): number | null {
  switch (key) {
    case 'ArrowLeft': return Math.max(0, index - 1);
    case 'ArrowRight': return Math.min(count - 1, index + 1);
    case 'Home': return 0;
    case 'End': return count - 1;
    default: return null;
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
