package lab.d2c.workflows.spec;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" for unknown names: the closest known name by edit distance, when close. */
final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate closest to {@code given}, if it is close enough to be a likely typo; failing
     * that, the one candidate whose last dotted segment equals that of {@code given} (so
     * {@code image_size} suggests {@code data.image_size}).
     */
    static Optional<String> closest(String given, Collection<String> candidates) {
        String needle = given.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(needle, candidate.toLowerCase(Locale.ROOT));
            if (d < bestDistance && d <= tolerance(candidate)) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        String lastSegment = lastSegment(needle);
        List<String> sameLeaf = candidates.stream()
                .filter(c -> lastSegment(c.toLowerCase(Locale.ROOT)).equals(lastSegment)).toList();
        return sameLeaf.size() == 1 ? Optional.of(sameLeaf.get(0)) : Optional.empty();
    }

    /** {@code base}, plus "; did you mean 'x'?" when a candidate is close. */
    static String withSuggestion(String base, String given, Collection<String> candidates) {
        return closest(given, candidates).map(s -> base + "; did you mean '" + s + "'?").orElse(base);
    }

    private static int tolerance(String candidate) {
        return Math.max(1, candidate.length() / 3);
    }

    private static String lastSegment(String dotted) {
        return dotted.substring(dotted.lastIndexOf('.') + 1);
    }

    /** Levenshtein distance; inputs are short keys, and longer ones are cut to keep this cheap. */
    static int distance(String a, String b) {
        String s = a.length() > 100 ? a.substring(0, 100) : a;
        String t = b.length() > 100 ? b.substring(0, 100) : b;
        int[] previous = new int[t.length() + 1];
        int[] current = new int[t.length() + 1];
        for (int j = 0; j <= t.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= s.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= t.length(); j++) {
                int substitution = previous[j - 1] + (s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[t.length()];
    }
}
