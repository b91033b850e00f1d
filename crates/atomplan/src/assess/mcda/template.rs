//! A criteria template for choosing a reactor vendor or partner, our synthesis of IAEA NG-T-3.9
//! (bid evaluation), NP-T-1.10 (reactor technology assessment) and the Milestones issues.
//!
//! The weights are equal on purpose: no published source gives default weights, so the template
//! says what to score and in which direction, and the study sets the weights.

use super::Direction;

/// One criterion of the template.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TemplateCriterion {
    /// Key used in case files, e.g. `"cost"`.
    pub name: &'static str,
    pub direction: Direction,
    /// Suggested measure and unit.
    pub measure: &'static str,
    /// Where the criterion comes from.
    pub source: &'static str,
    /// Default weight (equal weights; not from a source, set your own).
    pub weight: f64,
}

/// The eight vendor-choice criteria, equal weights summing to 1.
#[must_use]
pub fn vendor_template() -> Vec<TemplateCriterion> {
    let rows: [(&str, Direction, &str, &str); 8] = [
        (
            "cost",
            Direction::Min,
            "overnight cost, USD per kWe in a stated price year (or LCOE, USD/MWh)",
            "IAEA NG-T-3.9 (2011) economic bid evaluation",
        ),
        (
            "financing_terms",
            Direction::Max,
            "share of the cost financed by the vendor or its state, or the grant element of the offer (%)",
            "IAEA NG-T-3.9 (2011) economic bid evaluation",
        ),
        (
            "technology_maturity",
            Direction::Max,
            "reference units of the design in commercial operation (count)",
            "IAEA NG-T-3.9 (2011) technical evaluation; IAEA NP-T-1.10 (2013) RTA key elements",
        ),
        (
            "schedule_record",
            Direction::Min,
            "median construction time of the vendor's recent units, first concrete to grid (months)",
            "IAEA NG-T-3.9 (2011); delivery record on recent builds",
        ),
        (
            "localisation",
            Direction::Max,
            "local content share offered (%) and technology transfer",
            "IAEA NG-G-3.1 Rev. 1 (2015) Milestones issues 10 and 18",
        ),
        (
            "fuel_supply",
            Direction::Max,
            "qualified fuel fabricators for the design (count), take-back or back-end support",
            "IAEA NG-G-3.1 Rev. 1 (2015) Milestones issue 16",
        ),
        (
            "supplier_geopolitical_risk",
            Direction::Min,
            "sanctions and export-control exposure, political risk of the supply chain (0-10 score)",
            "our addition; cf. IEA (2007) risk-weighted supplier concentration",
        ),
        (
            "licensing_safety",
            Direction::Max,
            "licensed in the country of origin or EUR compliant, passive safety, CDF/LRF (0-10 score)",
            "IAEA NG-T-3.9 (2011) technical evaluation; IAEA NP-T-1.10 (2013)",
        ),
    ];
    #[allow(clippy::cast_precision_loss)]
    let weight = 1.0 / rows.len() as f64;
    rows.into_iter()
        .map(|(name, direction, measure, source)| TemplateCriterion {
            name,
            direction,
            measure,
            source,
            weight,
        })
        .collect()
}
