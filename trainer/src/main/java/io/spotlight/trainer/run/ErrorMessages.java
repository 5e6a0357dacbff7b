package io.spotlight.trainer.run;

/**
 * What a user is told about a failure: the message and the messages of its causes. Wrappers such
 * as DJL's "Data loading failed" (around the data set's own exception, which names the file) would
 * otherwise hide the one sentence that says what to fix.
 */
public final class ErrorMessages {
    private ErrorMessages() {}

    /** {@code message: cause's message: ...}, each cause once; wrappers that only repeat their cause are skipped. */
    public static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(e.getMessage() != null ? e.getMessage() : e.toString());
        Throwable seen = e;
        for (Throwable c = e.getCause(); c != null && c != seen; seen = c, c = c.getCause()) {
            String m = c.getMessage();
            boolean wrapper = m != null && c.getCause() != null && m.equals(c.getCause().toString());
            if (m == null || wrapper || out.indexOf(m) >= 0) {
                continue;
            }
            out.append(": ").append(m);
        }
        return out.toString();
    }
}
