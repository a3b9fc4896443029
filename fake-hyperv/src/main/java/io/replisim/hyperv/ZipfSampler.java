package io.replisim.hyperv;

import java.util.random.RandomGenerator;

/**
 * Draws ranks 1..n with probability proportional to 1/k^exponent, in constant memory and
 * expected constant time: rejection-inversion (W. Hörmann, G. Derflinger, "Rejection-inversion
 * to generate variates from monotone discrete distributions", 1996), the method Apache Commons
 * uses. {@link StrictMath} keeps the draws identical on every JVM.
 */
final class ZipfSampler {

    private final long n;
    private final double exponent;
    private final double hIntegralX1;
    private final double hIntegralN;
    private final double s;

    ZipfSampler(long n, double exponent) {
        if (n < 1 || !(exponent > 0)) {
            throw new IllegalArgumentException("Zipf needs n >= 1 and a positive exponent, got " + n + ", " + exponent);
        }
        this.n = n;
        this.exponent = exponent;
        this.hIntegralX1 = hIntegral(1.5) - 1;
        this.hIntegralN = hIntegral(n + 0.5);
        this.s = 2 - hIntegralInverse(hIntegral(2.5) - h(2));
    }

    /** A rank in [1, n]; takes one or more doubles from {@code random}. */
    long sample(RandomGenerator random) {
        while (true) {
            double u = hIntegralN + random.nextDouble() * (hIntegralX1 - hIntegralN);
            double x = hIntegralInverse(u);
            long k = (long) (x + 0.5);
            if (k < 1) {
                k = 1;
            } else if (k > n) {
                k = n;
            }
            if (k - x <= s || u >= hIntegral(k + 0.5) - h(k)) {
                return k;
            }
        }
    }

    /** H(x) = (x^(1-e) - 1) / (1-e), the integral of h, stable near e = 1. */
    private double hIntegral(double x) {
        double logX = StrictMath.log(x);
        return helper2((1 - exponent) * logX) * logX;
    }

    /** h(x) = x^-e. */
    private double h(double x) {
        return StrictMath.exp(-exponent * StrictMath.log(x));
    }

    private double hIntegralInverse(double x) {
        double t = x * (1 - exponent);
        if (t < -1) {
            t = -1; // rounding can push it below; log1p needs t > -1
        }
        return StrictMath.exp(helper1(t) * x);
    }

    /** log(1 + x) / x, with its Taylor series near 0. */
    private static double helper1(double x) {
        return Math.abs(x) > 1e-8 ? StrictMath.log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
    }

    /** (exp(x) - 1) / x, with its Taylor series near 0. */
    private static double helper2(double x) {
        return Math.abs(x) > 1e-8 ? StrictMath.expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x));
    }

    /** The sum of 1/k^exponent over every rank, once asked for: what {@link #probability} divides by. */
    private double normalizer;

    /** The chance of rank {@code k} (1..n). */
    double probability(long k) {
        if (normalizer == 0) {
            double sum = 0;
            for (long r = n; r >= 1; r--) { // smallest terms first, for precision
                sum += Math.pow(r, -exponent);
            }
            normalizer = sum;
        }
        return Math.pow(k, -exponent) / normalizer;
    }
}
