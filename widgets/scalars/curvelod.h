// Level-of-detail for one curve: keeps every point and hands the plot what each pixel column
// shows (its first, min, max and last values: two vertices when min and max span the column,
// at most four otherwise), so a curve of millions of points replots in milliseconds without
// losing a spike. Range minima and maxima come from per-block summaries.
#pragma once

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace trainscope {

class CurveLod {
public:
    using Keys = std::shared_ptr<const std::vector<double>>;

    // `x` must be sorted ascending (the caller sorts by step or time); curves drawn over the
    // same keys (raw and smoothed) share them.
    void setData(Keys x, std::vector<float> y);
    void setData(std::vector<double> x, std::vector<float> y) {
        setData(std::make_shared<const std::vector<double>>(std::move(x)), std::move(y));
    }
    void clear() { setData(std::vector<double>{}, {}); }

    size_t size() const { return m_y.size(); }
    const Keys &keys() const { return m_keys; }
    const std::vector<double> &x() const { return *m_keys; }
    const std::vector<float> &y() const { return m_y; }

    // The points to draw for [x0, x1] over `columns` pixel columns, plus the nearest point on
    // each side so the line runs off the edges. Output is sorted by x. A column whose values
    // span less than `yTolerance` (about a pixel) gets no min/max points: they would not show.
    void decimate(double x0, double x1, int columns, std::vector<double> &outX,
                  std::vector<double> &outY, double yTolerance = 0) const;

    // Per pixel column that holds points: its centre and the min and max of its values, the
    // outline of the band a dense curve fills. Includes one point beyond each edge.
    void envelope(double x0, double x1, int columns, std::vector<double> &outX,
                  std::vector<float> &outLo, std::vector<float> &outHi) const;

    // How many points fall in [x0, x1].
    size_t countIn(double x0, double x1) const;

    // Min and max of y over the index range [begin, end), ignoring non-finite values.
    // Returns false when the range holds no finite value.
    bool rangeMinMax(size_t begin, size_t end, float &lo, float &hi) const;

    // Index of the point whose x is nearest to `x` (size() when empty).
    size_t nearest(double x) const;

private:
    // Calls fn(first, last, columnIndex) for each pixel column of [x0, x1] holding points
    // (first..last inclusive), plus the points just beyond each edge as columns of their own.
    template <typename Fn> void forEachColumn(double x0, double x1, int columns, Fn &&fn) const;
    std::pair<size_t, size_t> visibleRange(double x0, double x1) const; // with the edge points

    static constexpr size_t kBlock = 64;
    Keys m_keys = std::make_shared<const std::vector<double>>();
    std::vector<float> m_y;
    std::vector<float> m_blockMin, m_blockMax;
};

} // namespace trainscope
