//! The one integration-test binary of `atomplan`; one module per feature.

mod assess;
mod study;
