"""Exposure-response functions and how effects on one outcome combine.

Every function here returns the natural log of a population risk ratio,
option against baseline, so that effects combine by addition (a product of
ratios). All functions broadcast over any leading axes (options, draws).
"""

from __future__ import annotations

import numpy as np

LN = np.ndarray


def log_linear(ratio: np.ndarray, increment: np.ndarray, dx: np.ndarray) -> LN:
    r"""Log risk ratio of a log-linear relation.

    .. math:: \ln RR(\Delta x) = \ln(RR_{inc}) \, \Delta x / inc

    Parameters
    ----------
    ratio
        Relative risk (or HR, OR) per ``increment`` of exposure.
    increment
        Exposure change the ratio is per, in the exposure's unit.
    dx
        Exposure change, option minus baseline, in the exposure's unit.

    References
    ----------
    The standard form of comparative risk assessment for continuous exposures,
    e.g. WHO (2021) Global Air Quality Guidelines; COMEAP (2022).
    """
    return np.log(ratio) * dx / increment


def partly_exposed(log_ratio: np.ndarray, share: np.ndarray) -> LN:
    r"""Log risk ratio of a group of which only a share ``w`` is exposed to a ratio ``RR``.

    .. math:: \ln(1 + w (RR - 1))

    the population risk ratio when the rest keep their risk (the potential impact fraction
    with the whole share changing; Morgenstern and Bursic 1982). ``w = 1`` leaves the ratio
    unchanged and ``w = 0`` gives 0.

    Parameters
    ----------
    log_ratio
        Natural log of the ratio for the exposed.
    share
        Share of the group exposed (0-1), broadcast against ``log_ratio``.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(share == 1.0, log_ratio, np.log1p(share * np.expm1(log_ratio)))


def threshold_log_linear(ratio: np.ndarray, increment: np.ndarray, threshold: np.ndarray, x0: np.ndarray, x1: np.ndarray) -> LN:
    r"""Log risk ratio of a relation that is log-linear above a threshold only.

    .. math:: \ln RR = \ln(RR_{inc}) \, [\max(x_1 - x_{th}, 0) - \max(x_0 - x_{th}, 0)] / inc

    Parameters
    ----------
    ratio, increment
        As :func:`log_linear`.
    threshold
        Exposure below which the relation is flat, in the exposure's unit.
    x0, x1
        Exposure at baseline and under the option.
    """
    above = np.maximum(x1 - threshold, 0) - np.maximum(x0 - threshold, 0)
    return np.log(ratio) * above / increment


def proportion_exposed(ratio: np.ndarray, p0: np.ndarray, p1: np.ndarray) -> LN:
    r"""Log population risk ratio when the share of people exposed changes.

    With relative risk ``RR`` for the exposed, the population risk is
    proportional to ``1 + p (RR - 1)``, so

    .. math:: \ln \frac{1 + p_1 (RR - 1)}{1 + p_0 (RR - 1)} = \ln(1 - PIF),
              \quad PIF = \frac{(p_0 - p_1)(RR - 1)}{1 + p_0 (RR - 1)}

    Parameters
    ----------
    ratio
        Relative risk of the exposed against the unexposed.
    p0, p1
        Share of people exposed (0-1) at baseline and under the option.

    References
    ----------
    Potential impact fraction: Morgenstern H, Bursic ES (1982) J Community Health 7:292-309;
    Barendregt JJ, Veerman JL (2010) J Epidemiol Community Health 64:209-212.
    """
    excess = ratio - 1.0
    return np.log1p(p1 * excess) - np.log1p(p0 * excess)


def shifted_share(p0: np.ndarray, log_odds_ratio: np.ndarray) -> np.ndarray:
    r"""A share of people in a state (a share mediator) after its odds change by an odds ratio.

    .. math:: p_1 = \frac{o_1}{1 + o_1}, \quad o_1 = \frac{p_0}{1 - p_0} \, e^{\ln OR}

    Applying the odds ratio to the odds keeps the share between 0 and 1 however
    large the change; for a rare state it is close to ``p0 x OR``.

    Parameters
    ----------
    p0
        Baseline share (0-1, exclusive), e.g. the share of adults in England who
        are often or always lonely.
    log_odds_ratio
        Natural log of the odds ratio the change in the characteristic brings
        (a link into the mediator, by its own form).
    """
    odds = p0 / (1.0 - p0) * np.exp(log_odds_ratio)
    return odds / (1.0 + odds)


def power(exponent: np.ndarray, x0: np.ndarray, x1: np.ndarray) -> LN:
    r"""Log risk ratio of a power model: risk proportional to exposure raised to an exponent.

    .. math:: \ln RR = k \, \ln(x_1 / x_0)

    Parameters
    ----------
    exponent
        The exponent ``k`` (e.g. about 4 for fatal road casualties and mean speed).
    x0, x1
        Exposure at baseline and under the option, both above 0 (e.g. mean traffic speed).

    References
    ----------
    Nilsson G (2004) Traffic safety dimensions and the Power Model to describe the effect of
    speed on safety. Lund Institute of Technology, Bulletin 221; Elvik R (2009) The Power Model
    of the relationship between speed and road safety. TOI report 1034/2009.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return exponent * (np.log(x1) - np.log(x0))


def linear(slope: np.ndarray, increment: np.ndarray, dx: np.ndarray) -> np.ndarray:
    r"""Change in a mediator from a change in a characteristic: ``dm = slope * dx / inc``.

    Parameters
    ----------
    slope
        Change in the mediator (its unit) per ``increment`` of the characteristic.
    increment, dx
        As :func:`log_linear`.
    """
    return slope * dx / increment


def change_factor(total_log_ratio: np.ndarray) -> np.ndarray:
    r"""Factor turning summed log ratios into a change in cases, shared out by pathway.

    The change in cases from combined ratio ``exp(S)`` is ``base (exp(S) - 1)``;
    writing it as ``base * S * f`` with ``f = (exp(S) - 1) / S`` lets each
    pathway's share be ``base * ln RR_path * f``, which sums exactly to the
    total. ``f -> 1`` as ``S -> 0``.
    """
    s = np.asarray(total_log_ratio, dtype=float)
    small = np.abs(s) < 1e-12
    safe = np.where(small, 1.0, s)
    return np.where(small, 1.0 + s / 2, np.expm1(safe) / safe)


def curve_value(coefs: np.ndarray, threshold: np.ndarray, x: np.ndarray) -> np.ndarray:
    r"""A polynomial exposure-response curve as a share (0-1), held at its threshold value below the threshold.

    .. math:: P(x) = (c_0 + c_1 x' + c_2 x'^2) / 100, \quad x' = \max(x, x_{th})

    ``coefs`` is ``[3, ...]`` (percent per unit, per unit squared); e.g. WHO's percentage
    highly annoyed by road-traffic noise, Guski et al. (2017), counted from Lden 40 dB.
    """
    xp = np.maximum(x, threshold)
    return (coefs[0] + coefs[1] * xp + coefs[2] * xp**2) / 100.0


def log_risk_ratio_from_odds(log_odds_ratio: np.ndarray, risk: np.ndarray) -> LN:
    r"""Log risk ratio equivalent to an odds ratio at a baseline risk (Zhang and Yu 1998).

    .. math:: RR = \frac{OR}{1 - p_0 + p_0 \, OR}

    An odds ratio overstates the risk ratio when the outcome is common: at
    ``p0 = 0.17`` an odds ratio of 2.06 is a risk ratio of about 1.75. For a
    rare outcome the two agree.

    Parameters
    ----------
    log_odds_ratio
        Natural log of the odds ratio for the exposure change (any shape).
    risk
        ``p0``, the risk of the outcome at the baseline exposure (0-1), broadcast
        against ``log_odds_ratio`` (e.g. the outcome's England rate per person per
        year, or its prevalence, in each age band).

    References
    ----------
    Zhang J, Yu KF (1998) What's the relative risk? A method of correcting the odds ratio
    in cohort studies of common outcomes. JAMA 280(19):1690-1691. doi:10.1001/jama.280.19.1690
    """
    return log_odds_ratio - np.log1p(risk * np.expm1(log_odds_ratio))


def unexposed_risk(odds_ratio: np.ndarray, share: np.ndarray, prevalence: np.ndarray) -> np.ndarray:
    r"""Risk in the unexposed that gives a population risk, for a share exposed at an odds ratio.

    With ``q`` the risk of the unexposed, the exposed have odds ``OR q / (1 - q)``,
    so risk ``q OR / (1 + q (OR - 1))``, and the population risk is
    ``P = (1 - s) q + s q OR / (1 + q (OR - 1))``. Multiplying out gives the quadratic

    .. math:: a q^2 + b q - P = 0, \quad a = (1 - s)(OR - 1), \quad b = 1 + s (OR - 1) - P (OR - 1)

    whose root in [0, 1] is taken in the form free of cancellation,
    :math:`q = 2P / (b + \sqrt{b^2 + 4 a P})` (the same root for either sign of ``a``).

    Parameters
    ----------
    odds_ratio
        Odds ratio of the exposed against the unexposed.
    share
        ``s``, share of people exposed (0-1).
    prevalence
        ``P``, population risk of the outcome (0-1), e.g. its England rate in an age band.
    """
    a = (1.0 - share) * (odds_ratio - 1.0)
    b = 1.0 + share * (odds_ratio - 1.0) - prevalence * (odds_ratio - 1.0)
    return 2.0 * prevalence / (b + np.sqrt(np.maximum(b * b + 4.0 * a * prevalence, 0.0)))


def proportion_exposed_odds(odds_ratio: np.ndarray, p0: np.ndarray, p1: np.ndarray, prevalence: np.ndarray) -> LN:
    r"""Log population risk ratio when the share exposed changes and the evidence is an odds ratio.

    The risk of the unexposed ``q`` is solved from the population risk at the
    baseline share (:func:`unexposed_risk`); the exposed's risk follows from the
    odds ratio; the option's population risk is the mix at the new share:

    .. math:: \ln \frac{(1 - p_1) q + p_1 r_e}{P}, \quad r_e = \frac{q \, OR}{1 + q (OR - 1)}

    For a rare outcome this is :func:`proportion_exposed` with ``RR = OR``.

    Parameters
    ----------
    odds_ratio
        Odds ratio of the exposed against the unexposed.
    p0, p1
        Share exposed (0-1) at baseline and under the option.
    prevalence
        Population risk of the outcome at the baseline share (0-1).
    """
    q = unexposed_risk(odds_ratio, p0, prevalence)
    exposed = q * odds_ratio / (1.0 + q * (odds_ratio - 1.0))
    mix0 = (1.0 - p0) * q + p0 * exposed
    mix1 = (1.0 - p1) * q + p1 * exposed
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(mix0 > 0, np.log(mix1) - np.log(mix0), 0.0)
