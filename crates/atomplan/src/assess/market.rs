//! market (in progress).
