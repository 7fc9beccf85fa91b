package lab.d2c.store.embedded;

import java.lang.reflect.Method;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Turns the chatter of embedded servers down to WARN when the application logs through logback and has
 * not configured a level for those loggers itself. Without logback this does nothing (configure it there).
 */
final class QuietLogs {

    private QuietLogs() {
    }

    static void warnOnly(String... loggerNames) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
            return;
        }
        try {
            Class<?> levelClass = Class.forName("ch.qos.logback.classic.Level", true, factory.getClass().getClassLoader());
            Object warn = levelClass.getField("WARN").get(null);
            for (String name : loggerNames) {
                Object logger = factory.getLogger(name);
                Method getLevel = logger.getClass().getMethod("getLevel");
                if (getLevel.invoke(logger) == null) {
                    logger.getClass().getMethod("setLevel", levelClass).invoke(logger, warn);
                }
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // best effort: a different logback version only means noisier logs
        }
    }
}
