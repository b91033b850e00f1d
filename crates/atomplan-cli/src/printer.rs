//! The one place that writes to the terminal: data to stdout, logs, progress and hints to
//! stderr. `-q` silences logs, `NO_COLOR` turns colour off.

use std::io::Write;

use crate::GlobalArgs;

pub struct Printer {
    quiet: bool,
    verbose: u8,
    color: bool,
}

impl Printer {
    pub fn new(global: &GlobalArgs) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        let color = !no_color && std::io::IsTerminal::is_terminal(&std::io::stderr());
        Printer {
            quiet: global.quiet,
            verbose: global.verbose,
            color,
        }
    }

    /// Result data; always printed, even with `-q`.
    pub fn data(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error worth a panic.
        let _ = stdout.write_all(text.as_bytes());
        if !text.ends_with('\n') {
            let _ = stdout.write_all(b"\n");
        }
    }

    /// Pretty JSON on stdout.
    pub fn json(&self, value: &serde_json::Value) {
        self.data(&serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_owned()));
    }

    /// Progress and information on stderr; silenced by `-q`.
    pub fn info(&self, text: &str) {
        if !self.quiet {
            let _ = writeln!(std::io::stderr().lock(), "{text}");
        }
    }

    /// Detail shown with `-v`.
    pub fn debug(&self, text: &str) {
        if self.verbose > 0 && !self.quiet {
            let _ = writeln!(std::io::stderr().lock(), "{text}");
        }
    }

    pub fn warning(&self, text: &str) {
        self.tagged("warning", "33", text);
    }

    pub fn error(&self, text: &str) {
        self.tagged("error", "31", text);
    }

    pub fn hint(&self, text: &str) {
        self.tagged("hint", "36", text);
    }

    fn tagged(&self, tag: &str, ansi: &str, text: &str) {
        let mut stderr = std::io::stderr().lock();
        if self.color {
            let _ = writeln!(stderr, "\x1b[1;{ansi}m{tag}\x1b[0m: {text}");
        } else {
            let _ = writeln!(stderr, "{tag}: {text}");
        }
    }

    pub fn is_quiet(&self) -> bool {
        self.quiet
    }
}
