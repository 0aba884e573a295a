package dev.flotilla.agent;

import java.util.Locale;

/** The {@code nixos-rebuild} modes: what a switch changes now and at the next start. */
public enum SwitchMode {
    /** Activate now and make it the default. */
    SWITCH(true, true),
    /** Make it the default for the next agent start; do not activate now. */
    BOOT(false, true),
    /** Activate now; do not make it the default (the next start returns to the default). */
    TEST(true, false),
    /** Say what activating would change; change nothing. */
    DRY_ACTIVATE(false, false);

    private final boolean activatesNow;
    private final boolean setsDefault;

    SwitchMode(boolean activatesNow, boolean setsDefault) {
        this.activatesNow = activatesNow;
        this.setsDefault = setsDefault;
    }

    public boolean activatesNow() {
        return activatesNow;
    }

    public boolean setsDefault() {
        return setsDefault;
    }

    /** The command-line spelling: {@code switch}, {@code boot}, {@code test}, {@code dry-activate}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Parses {@link #cliName()} (case-insensitive, {@code _} accepted for {@code -}). */
    public static SwitchMode parse(String text) {
        for (SwitchMode mode : values()) {
            if (mode.cliName().equalsIgnoreCase(text.replace('_', '-'))) {
                return mode;
            }
        }
        throw new AgentException(AgentException.Kind.BAD_REQUEST,
                "unknown switch mode '" + text + "': use switch, boot, test or dry-activate");
    }
}
