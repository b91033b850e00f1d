//! Supply security: concentration and diversity of the generation mix and of fuel suppliers
//! (HHI, Shannon, Stirling), import dependence, risk-weighted supplier concentration and the
//! nuclear-fuel vendor dependence of a design, before and after a new plant.
//!
//! Shares are fractions; inputs that do not sum to 1 are normalised and the result says so.
//! Sources: US DOJ HHI; Shannon (1948); Stirling (2007) J. R. Soc. Interface 4:707;
//! IEA (2007) ESMC; Eurostat energy dependency rate. See `docs/methods/security.md`.

use crate::Error;

#[cfg(test)]
mod tests;

/// Shares divided by their sum; `true` if they did not already sum to 1 (within 1e-9).
///
/// # Errors
/// A negative or non-finite share, or a zero sum, named `key[i]`.
pub fn normalize_shares(values: &[f64], key: &str) -> Result<(Vec<f64>, bool), Error> {
    if values.is_empty() {
        return Err(Error::value(key, "at least one share is needed"));
    }
    for (idx, value) in values.iter().enumerate() {
        if !value.is_finite() || *value < 0.0 {
            return Err(Error::value(
                format!("{key}[{idx}]"),
                format!("shares must be finite and >= 0, found {value}"),
            ));
        }
    }
    let sum: f64 = values.iter().sum();
    if sum <= 0.0 {
        return Err(Error::value(key, "shares sum to zero"));
    }
    let normalised = (sum - 1.0).abs() > 1e-9;
    Ok((values.iter().map(|value| value / sum).collect(), normalised))
}

/// Herfindahl–Hirschman index on the 0–10,000 scale: `Σ (100 s_i)²` of normalised shares.
/// One supplier gives 10,000; `N` equal suppliers give `10,000 / N`.
///
/// # Errors
/// See [`normalize_shares`].
pub fn hhi(values: &[f64]) -> Result<f64, Error> {
    let (shares, _) = normalize_shares(values, "shares")?;
    Ok(shares.iter().map(|share| (100.0 * share).powi(2)).sum())
}

/// Shannon–Wiener index `H = −Σ p_i ln p_i` (natural log; zero shares skipped).
///
/// # Errors
/// See [`normalize_shares`].
pub fn shannon(values: &[f64]) -> Result<f64, Error> {
    let (shares, _) = normalize_shares(values, "shares")?;
    Ok(-shares
        .iter()
        .filter(|share| **share > 0.0)
        .map(|share| share * share.ln())
        .sum::<f64>())
}

/// Stirling diversity `Δ = Σ_{i≠j} d_ij^α (p_i p_j)^β` over ordered pairs (each pair counted
/// twice; halve it for the unordered convention). With `d_ij = 1` and `α = β = 1` it equals the
/// Gini–Simpson index `1 − Σ p_i²`.
///
/// # Errors
/// A disparity matrix that is not n×n, not in [0, 1], not symmetric or with a non-zero diagonal.
pub fn stirling(
    values: &[f64],
    disparity: &[Vec<f64>],
    alpha: f64,
    beta: f64,
) -> Result<f64, Error> {
    let (shares, _) = normalize_shares(values, "shares")?;
    check_disparity(disparity, shares.len())?;
    let mut total = 0.0;
    for (i, p_i) in shares.iter().enumerate() {
        for (j, p_j) in shares.iter().enumerate() {
            if i != j {
                total += disparity[i][j].powf(alpha) * (p_i * p_j).powf(beta);
            }
        }
    }
    Ok(total)
}

/// Checks a disparity matrix: n×n, entries in [0, 1], symmetric (1e-9), zero diagonal.
///
/// # Errors
/// [`Error`] naming `disparity[i][j]`.
#[allow(clippy::needless_range_loop)] // Pairwise (a, b) indexing reads like the formula.
pub fn check_disparity(disparity: &[Vec<f64>], n: usize) -> Result<(), Error> {
    if disparity.len() != n || disparity.iter().any(|row| row.len() != n) {
        return Err(Error::shape(
            "disparity",
            format!("{n}×{n} matrix (one row per option)"),
            format!("{} rows", disparity.len()),
        ));
    }
    for i in 0..n {
        for j in 0..n {
            let value = disparity[i][j];
            let key = format!("disparity[{i}][{j}]");
            if !(0.0..=1.0).contains(&value) {
                return Err(Error::value(
                    key,
                    format!("must be in [0, 1], found {value}"),
                ));
            }
            if i == j && value != 0.0 {
                return Err(Error::value(key, "the diagonal must be 0"));
            }
            if (value - disparity[j][i]).abs() > 1e-9 {
                return Err(Error::value(key, "the matrix must be symmetric"));
            }
        }
    }
    Ok(())
}

/// All diversity indices of one set of shares.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DiversityReport {
    /// Names of the options, in input order.
    pub options: Vec<String>,
    /// Normalised shares.
    pub shares: Vec<f64>,
    /// Whether the input shares had to be normalised.
    pub normalised: bool,
    /// HHI on the 0–10,000 scale.
    pub hhi: f64,
    /// `10,000 / HHI`: the equivalent number of equal options.
    pub effective_number: f64,
    /// Shannon `H` (natural log).
    pub shannon: f64,
    /// `H / ln N` (1 for N = 1 by convention).
    pub shannon_evenness: f64,
    /// `exp(H)`.
    pub shannon_effective_number: f64,
    /// `1 − Σ p²`.
    pub gini_simpson: f64,
    /// Stirling `Δ` (ordered pairs, α = β = 1) when a disparity matrix is given.
    pub stirling: Option<f64>,
    /// The largest share and its option.
    pub largest_share: f64,
    pub largest_option: String,
}

/// Diversity indices of named shares, with Stirling if a disparity matrix is given.
///
/// # Errors
/// See [`normalize_shares`] and [`check_disparity`].
pub fn diversity(
    options: &[String],
    values: &[f64],
    disparity: Option<&[Vec<f64>]>,
    key: &str,
) -> Result<DiversityReport, Error> {
    if options.len() != values.len() {
        return Err(Error::shape(
            key,
            format!("{} shares", options.len()),
            values.len(),
        ));
    }
    let (shares, normalised) = normalize_shares(values, key)?;
    let hhi_value = hhi(&shares)?;
    let shannon_value = shannon(&shares)?;
    #[allow(clippy::cast_precision_loss)]
    let n = shares.len() as f64;
    let (largest_idx, largest_share) = shares
        .iter()
        .copied()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .unwrap_or((0, 0.0));
    let stirling_value = match disparity {
        Some(disparity) => Some(stirling(&shares, disparity, 1.0, 1.0)?),
        None => None,
    };
    Ok(DiversityReport {
        options: options.to_vec(),
        hhi: hhi_value,
        effective_number: 10_000.0 / hhi_value,
        shannon: shannon_value,
        shannon_evenness: if n > 1.0 { shannon_value / n.ln() } else { 1.0 },
        shannon_effective_number: shannon_value.exp(),
        gini_simpson: 1.0 - shares.iter().map(|share| share * share).sum::<f64>(),
        stirling: stirling_value,
        largest_share,
        largest_option: options[largest_idx].clone(),
        shares,
        normalised,
    })
}

/// Import dependence `(imports − exports) / gross available energy` (Eurostat energy dependency
/// rate); negative for a net exporter.
///
/// # Errors
/// Non-finite or negative inputs, or zero gross available energy.
pub fn import_dependence(imports: f64, exports: f64, gross_available: f64) -> Result<f64, Error> {
    for (value, key) in [
        (imports, "imports"),
        (exports, "exports"),
        (gross_available, "gross_available"),
    ] {
        if !value.is_finite() || value < 0.0 {
            return Err(Error::value(
                key,
                format!("must be finite and >= 0, found {value}"),
            ));
        }
    }
    if gross_available == 0.0 {
        return Err(Error::value("gross_available", "must be > 0"));
    }
    Ok((imports - exports) / gross_available)
}

/// Risk-weighted supplier concentration `R = Σ_j r_j s_j²` on the 0–10,000 scale
/// (`Σ r_j (100 s_j)²`), the form of the IEA (2007) ESMC index; `r_j ≥ 0` is a user-supplied
/// political-risk weight (e.g. rescaled WGI), domestic supply usually `r = 0`.
///
/// # Errors
/// Shapes differ, or a negative or non-finite risk.
pub fn risk_weighted_concentration(values: &[f64], risks: &[f64]) -> Result<f64, Error> {
    if values.len() != risks.len() {
        return Err(Error::shape(
            "risk",
            format!("{} risks", values.len()),
            risks.len(),
        ));
    }
    let (shares, _) = normalize_shares(values, "share")?;
    let mut total = 0.0;
    for (idx, (share, risk)) in shares.iter().zip(risks).enumerate() {
        if !risk.is_finite() || *risk < 0.0 {
            return Err(Error::value(
                format!("risk[{idx}]"),
                format!("must be finite and >= 0, found {risk}"),
            ));
        }
        total += risk * (100.0 * share).powi(2);
    }
    Ok(total)
}

/// One supplier of one step of the nuclear fuel cycle.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FuelSupplier {
    /// Fuel-cycle step: `uranium`, `conversion`, `enrichment` or `fabrication` (free text allowed).
    pub step: String,
    /// Supplier (company) name, e.g. `TVEL`.
    pub supplier: String,
    /// Supplier country.
    pub country: String,
    /// Share of this step's supply (normalised per step).
    pub share: f64,
    /// Whether the supplier is domestic.
    #[serde(default)]
    pub domestic: bool,
    /// Political-risk weight in [0, 1] (0 for domestic supply).
    #[serde(default)]
    pub risk: f64,
}

/// Dependence of one fuel-cycle step.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FuelStepReport {
    pub step: String,
    pub n_suppliers: usize,
    /// HHI of suppliers (0–10,000).
    pub hhi: f64,
    /// HHI of supplier countries.
    pub country_hhi: f64,
    /// Shannon index of suppliers (natural log).
    pub shannon: f64,
    pub risk_weighted_hhi: f64,
    pub largest_supplier: String,
    pub largest_share: f64,
    pub domestic_share: f64,
    /// Only one supplier: the design depends on a single vendor for this step.
    pub single_vendor: bool,
}

/// Nuclear-fuel vendor dependence, per step and overall.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FuelDependenceReport {
    pub steps: Vec<FuelStepReport>,
    /// The step with the largest foreign single-supplier share (the weakest link).
    pub weakest_step: String,
    /// That share: 1 means one foreign vendor supplies the whole step.
    pub max_foreign_single_supplier_share: f64,
}

/// Per-step supplier concentration of a design's fuel supply. Domestic uranium does not make the
/// fuel domestic if fabrication is single-vendor, so each step is reported separately.
///
/// # Errors
/// No suppliers, or invalid shares/risks in a step.
pub fn fuel_vendor_dependence(suppliers: &[FuelSupplier]) -> Result<FuelDependenceReport, Error> {
    if suppliers.is_empty() {
        return Err(Error::value(
            "fuel_suppliers",
            "at least one supplier is needed",
        ));
    }
    let mut step_names: Vec<&str> = Vec::new();
    for supplier in suppliers {
        if !step_names.contains(&supplier.step.as_str()) {
            step_names.push(&supplier.step);
        }
    }
    let mut steps = Vec::new();
    let mut weakest = (String::new(), -1.0);
    for step in step_names {
        let rows: Vec<&FuelSupplier> = suppliers
            .iter()
            .filter(|supplier| supplier.step == step)
            .collect();
        let key = format!("fuel_suppliers.{step}");
        let values: Vec<f64> = rows.iter().map(|row| row.share).collect();
        let (shares, _) = normalize_shares(&values, &key)?;
        let risks: Vec<f64> = rows.iter().map(|row| row.risk).collect();
        let mut countries: Vec<(&str, f64)> = Vec::new();
        for (row, share) in rows.iter().zip(&shares) {
            match countries
                .iter_mut()
                .find(|(country, _)| *country == row.country)
            {
                Some(entry) => entry.1 += share,
                None => countries.push((&row.country, *share)),
            }
        }
        let country_shares: Vec<f64> = countries.iter().map(|(_, share)| *share).collect();
        let (largest_idx, largest_share) = shares
            .iter()
            .copied()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap_or((0, 0.0));
        let foreign_largest = rows
            .iter()
            .zip(&shares)
            .filter(|(row, _)| !row.domestic)
            .map(|(_, share)| *share)
            .fold(0.0, f64::max);
        if foreign_largest > weakest.1 {
            weakest = (step.to_owned(), foreign_largest);
        }
        steps.push(FuelStepReport {
            step: step.to_owned(),
            n_suppliers: rows.len(),
            hhi: hhi(&shares)?,
            country_hhi: hhi(&country_shares)?,
            shannon: shannon(&shares)?,
            risk_weighted_hhi: risk_weighted_concentration(&shares, &risks)?,
            largest_supplier: rows[largest_idx].supplier.clone(),
            largest_share,
            domestic_share: rows
                .iter()
                .zip(&shares)
                .filter(|(row, _)| row.domestic)
                .map(|(_, share)| share)
                .sum(),
            single_vendor: rows.len() == 1,
        });
    }
    Ok(FuelDependenceReport {
        steps,
        weakest_step: weakest.0,
        max_foreign_single_supplier_share: weakest.1.max(0.0),
    })
}

/// Generation (or capacity) of each option after adding `added` to option `option` (created if
/// absent): the "after" mix of a before/after comparison.
#[must_use]
pub fn mix_with_addition(
    options: &[String],
    values: &[f64],
    option: &str,
    added: f64,
) -> (Vec<String>, Vec<f64>) {
    let mut options = options.to_vec();
    let mut values = values.to_vec();
    match options.iter().position(|name| name == option) {
        Some(idx) => values[idx] += added,
        None => {
            options.push(option.to_owned());
            values.push(added);
        }
    }
    (options, values)
}

/// Gross energy flows for import dependence (any consistent unit, e.g. TWh).
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Imports {
    pub imports: f64,
    pub exports: f64,
    pub gross_available: f64,
}

/// Everything the supply-security assessment can use; empty parts are skipped.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SecurityInput {
    /// Options of the mix (technologies or fuels).
    pub options: Vec<String>,
    pub mix_before: Vec<f64>,
    pub mix_after: Option<Vec<f64>>,
    /// Disparity between options (n×n, symmetric, zero diagonal, in [0, 1]).
    pub disparity: Option<Vec<Vec<f64>>>,
    /// What the shares are of (generation, capacity, primary supply, imports).
    pub basis: Option<String>,
    pub imports: Option<Imports>,
    /// Import suppliers (countries): names, shares, shares after, political-risk weights.
    pub supplier_names: Vec<String>,
    pub supplier_shares: Vec<f64>,
    pub supplier_shares_after: Option<Vec<f64>>,
    pub supplier_risks: Vec<f64>,
    /// Fuel-cycle suppliers of the candidate design.
    pub fuel_suppliers: Vec<FuelSupplier>,
}

/// Supplier concentration before (and after).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SupplierReport {
    pub suppliers: Vec<String>,
    pub hhi_before: f64,
    pub shannon_before: f64,
    pub risk_weighted_before: f64,
    pub hhi_after: Option<f64>,
    pub risk_weighted_after: Option<f64>,
}

/// The supply-security result.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SecurityReport {
    pub basis: Option<String>,
    pub mix_before: Option<DiversityReport>,
    pub mix_after: Option<DiversityReport>,
    /// after − before of HHI, Shannon and Stirling.
    pub hhi_change: Option<f64>,
    pub shannon_change: Option<f64>,
    pub stirling_change: Option<f64>,
    pub import_dependence: Option<f64>,
    pub suppliers: Option<SupplierReport>,
    pub fuel: Option<FuelDependenceReport>,
}

/// Runs every part of the supply-security assessment the input has.
///
/// # Errors
/// Invalid shares, disparity, imports, risks or fuel suppliers, named by key.
pub fn security(input: &SecurityInput) -> Result<SecurityReport, Error> {
    let disparity = input.disparity.as_deref();
    let mix_before = if input.options.is_empty() {
        None
    } else {
        Some(diversity(
            &input.options,
            &input.mix_before,
            disparity,
            "mix.before",
        )?)
    };
    let mix_after = match &input.mix_after {
        Some(after) => Some(diversity(&input.options, after, disparity, "mix.after")?),
        None => None,
    };
    let change = |get: &dyn Fn(&DiversityReport) -> Option<f64>| match (&mix_before, &mix_after) {
        (Some(before), Some(after)) => Some(get(after)? - get(before)?),
        _ => None,
    };
    let import_dependence = match input.imports {
        Some(imports) => Some(import_dependence(
            imports.imports,
            imports.exports,
            imports.gross_available,
        )?),
        None => None,
    };
    let suppliers = if input.supplier_names.is_empty() {
        None
    } else {
        let shares_after = input.supplier_shares_after.as_deref();
        Some(SupplierReport {
            suppliers: input.supplier_names.clone(),
            hhi_before: hhi(&input.supplier_shares)?,
            shannon_before: shannon(&input.supplier_shares)?,
            risk_weighted_before: risk_weighted_concentration(
                &input.supplier_shares,
                &input.supplier_risks,
            )?,
            hhi_after: shares_after.map(hhi).transpose()?,
            risk_weighted_after: shares_after
                .map(|after| risk_weighted_concentration(after, &input.supplier_risks))
                .transpose()?,
        })
    };
    let fuel = if input.fuel_suppliers.is_empty() {
        None
    } else {
        Some(fuel_vendor_dependence(&input.fuel_suppliers)?)
    };
    Ok(SecurityReport {
        basis: input.basis.clone(),
        hhi_change: change(&|report| Some(report.hhi)),
        shannon_change: change(&|report| Some(report.shannon)),
        stirling_change: change(&|report| report.stirling),
        mix_before,
        mix_after,
        import_dependence,
        suppliers,
        fuel,
    })
}
