package io.conveyor.api;

import io.conveyor.job.Job;
import io.conveyor.job.JobStore;
import io.conveyor.job.UsageTails;
import io.conveyor.usage.Cost;
import io.conveyor.usage.PriceTable;
import io.conveyor.usage.Usage;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;

/**
 * {@code GET /usage}: what a user's jobs consumed and cost over a range of days, in all, per program and per day of
 * their creation. A caller sees their own; an administrator of the deployment may name any user, or ask for every
 * user's at once.
 */
final class UsageReports {
    /** The most days one report covers. */
    static final int MAX_DAYS = 366;
    /** Without {@code from}, a report covers this many days up to {@code to}. */
    static final int DEFAULT_DAYS = 30;
    /** The most jobs one report adds up: each is read whole from the owner index. */
    static final int MAX_JOBS = 10_000;

    private final JobStore jobs;
    private final PriceTable prices;
    private final Set<String> adminUsers;
    private final Clock clock;

    UsageReports(JobStore jobs, PriceTable prices, Set<String> adminUsers, Clock clock) {
        this.jobs = jobs;
        this.prices = prices;
        this.adminUsers = adminUsers;
        this.clock = clock;
    }

    /** Usage and cost of some jobs. */
    public record Totals(int jobs, JobView.UsageView usage, Cost cost) {}

    public record ProgramTotals(String program, int jobs, JobView.UsageView usage, Cost cost) {}

    public record DayTotals(LocalDate day, int jobs, JobView.UsageView usage, Cost cost) {}

    /** The answer: days are UTC, both ends included; a job counts on the day it was created. */
    public record Report(String user, LocalDate from, LocalDate to, Totals total, List<ProgramTotals> programs,
            List<DayTotals> days) {}

    /** Every user's report at once, for an administrator: each user's as {@link #report} gives it, and their sum. */
    public record AllUsersReport(LocalDate from, LocalDate to, Totals total, List<Report> users) {}

    /** Days are UTC, both ends included. */
    private record Days(LocalDate from, LocalDate to) {
        Instant start() {
            return from.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        Instant end() {
            return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
    }

    Report report(Caller caller, Optional<String> user, Optional<String> fromText, Optional<String> toText) {
        String owner = user.orElse(caller.id());
        if (!owner.equals(caller.id())) {
            requireAdministrator(caller, "another user's usage; leave out 'user' for your own.");
        }
        Days days = days(fromText, toText);
        List<Job> found = jobs.createdBetween(owner, days.start(), days.end(), MAX_JOBS);
        requireAtMostMaxJobs(found, days);
        return report(owner, days, found, jobs.usageTails().read(found.stream().map(Job::id).toList()), clock.instant());
    }

    /**
     * Every user's usage from {@code from} to {@code to}, per user (in user order), for an administrator; at most
     * {@value #MAX_JOBS} jobs in all. It reads the whole jobs table (a Scan, as no index spans users).
     */
    AllUsersReport allUsers(Caller caller, Optional<String> fromText, Optional<String> toText) {
        requireAdministrator(caller, "every user's usage; leave out 'allUsers' for your own.");
        Days days = days(fromText, toText);
        List<Job> found = jobs.createdBetweenByAnyone(days.start(), days.end(), MAX_JOBS);
        requireAtMostMaxJobs(found, days);
        Map<String, UsageTails> tails = jobs.usageTails().read(found.stream().map(Job::id).toList());
        Instant now = clock.instant();
        Map<String, List<Job>> byUser = new TreeMap<>();
        found.forEach(job -> byUser.computeIfAbsent(job.owner(), o -> new ArrayList<>()).add(job));
        List<Report> users = new ArrayList<>();
        byUser.forEach((owner, theirs) -> users.add(report(owner, days, theirs, tails, now)));
        return new AllUsersReport(days.from(), days.to(),
                totals(found.stream().map(job -> priced(job, tails.get(job.id()), now)).toList()), users);
    }

    private void requireAdministrator(Caller caller, String what) {
        if (!adminUsers.contains(caller.id())) {
            throw new ApiException(403, "NotAnAdministrator", "Only an administrator of this deployment may ask for "
                    + what);
        }
    }

    private Days days(Optional<String> fromText, Optional<String> toText) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate to = toText.map(t -> date("to", t)).orElse(today);
        LocalDate from = fromText.map(t -> date("from", t)).orElse(to.minusDays(DEFAULT_DAYS - 1));
        if (from.isAfter(to)) {
            throw ApiException.badRequest("'from' (" + from + ") must not be after 'to' (" + to + ").");
        }
        if (from.plusDays(MAX_DAYS).isBefore(to.plusDays(1))) {
            throw ApiException.badRequest("A report covers at most " + MAX_DAYS + " days; 'from' " + from + " to 'to' "
                    + to + " is longer. Ask for fewer days.");
        }
        return new Days(from, to);
    }

    private static void requireAtMostMaxJobs(List<Job> found, Days days) {
        if (found.size() > MAX_JOBS) {
            throw ApiException.badRequest("More than " + MAX_JOBS + " jobs were created from " + days.from() + " to "
                    + days.to() + "; ask for fewer days.");
        }
    }

    private Report report(String owner, Days days, List<Job> found, Map<String, UsageTails> tails, Instant now) {
        List<Cost.Priced> all = new ArrayList<>();
        Map<String, List<Cost.Priced>> byProgram = new TreeMap<>();
        Map<LocalDate, List<Cost.Priced>> byDay = new TreeMap<>();
        for (Job job : found) {
            Cost.Priced priced = priced(job, tails.get(job.id()), now);
            all.add(priced);
            byProgram.computeIfAbsent(job.program(), p -> new ArrayList<>()).add(priced);
            byDay.computeIfAbsent(LocalDate.ofInstant(job.createdAt(), ZoneOffset.UTC), d -> new ArrayList<>()).add(priced);
        }
        return new Report(owner, days.from(), days.to(), totals(all),
                grouped(byProgram, (p, t) -> new ProgramTotals(p, t.jobs(), t.usage(), t.cost())),
                grouped(byDay, (d, t) -> new DayTotals(d, t.jobs(), t.usage(), t.cost())));
    }

    private static Cost.Priced priced(Job job, UsageTails tails, Instant now) {
        return new Cost.Priced(tails.totalOf(job), job.objectsKept(now));
    }

    private <K, V> List<V> grouped(Map<K, List<Cost.Priced>> groups, BiFunction<K, Totals, V> row) {
        List<V> rows = new ArrayList<>();
        groups.forEach((key, priced) -> rows.add(row.apply(key, totals(priced))));
        return rows;
    }

    private Totals totals(List<Cost.Priced> priced) {
        Usage usage = Usage.NONE;
        double gbMonths = 0;
        for (Cost.Priced p : priced) {
            usage = usage.plus(p.usage());
            gbMonths += p.usage().storageGbMonths(p.stored());
        }
        return new Totals(priced.size(), JobView.UsageView.of(usage, gbMonths), Cost.sum(priced, prices));
    }

    private static LocalDate date(String parameter, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("'" + parameter + "' must be a date such as 2026-12-06; got '"
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'.");
        }
    }
}
