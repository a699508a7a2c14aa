//! The column names of every §9 file, with the Spanish and Russian words users write instead.
//! This is the one table of header synonyms; every importer asks it.

/// A column any of the §9 import formats knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Client,
    Period,
    Revenue,
    DirectCost,
    Discount,
    ServiceHours,
    SalesHours,
    Tickets,
    DaysLate,
    WrittenOff,
    Date,
    Amount,
    Cost,
    Name,
    Start,
    AcquisitionCost,
    ReferredBy,
    IcpFit,
    Potential,
    Strategic,
    Status,
    Tags,
    Notes,
}

impl Column {
    /// Every column, in declaration order (so `Column::ALL[c as usize] == c`).
    pub const ALL: [Column; 23] = [
        Column::Client, Column::Period, Column::Revenue, Column::DirectCost, Column::Discount,
        Column::ServiceHours, Column::SalesHours, Column::Tickets, Column::DaysLate, Column::WrittenOff,
        Column::Date, Column::Amount, Column::Cost, Column::Name, Column::Start, Column::AcquisitionCost,
        Column::ReferredBy, Column::IcpFit, Column::Potential, Column::Strategic, Column::Status,
        Column::Tags, Column::Notes,
    ];
}

/// Canonical name first, then synonyms (all lower case, compared after trimming).
const NAMES: &[(Column, &[&str])] = &[
    (Column::Client, &["client", "client_id", "customer", "cliente", "клиент", "контрагент"]),
    (Column::Period, &["period", "month", "periodo", "período", "mes", "период", "месяц"]),
    (Column::Revenue, &["revenue", "sales", "ingresos", "ventas", "facturación", "выручка", "доход"]),
    (Column::DirectCost, &["direct_cost", "coste", "costo", "coste_directo", "costo_directo", "себестоимость"]),
    (Column::Discount, &["discount", "descuento", "descuentos", "скидка", "скидки"]),
    (Column::ServiceHours, &["service_hours", "horas", "horas_servicio", "часы", "часы_сервиса"]),
    (Column::SalesHours, &["sales_hours", "horas_venta", "horas_comerciales", "часы_продаж"]),
    (Column::Tickets, &["tickets", "incidencias", "solicitudes", "заявки", "обращения"]),
    (Column::DaysLate, &["days_late", "dias_retraso", "días_retraso", "просрочка", "дни_просрочки"]),
    (Column::WrittenOff, &["written_off", "incobrables", "impagados", "списано"]),
    (Column::Date, &["date", "fecha", "дата"]),
    (Column::Amount, &["amount", "importe", "monto", "сумма"]),
    (Column::Cost, &["cost", "coste_operación", "costo_operación", "затраты"]),
    (Column::Name, &["name", "nombre", "razón_social", "название", "наименование"]),
    (Column::Start, &["start", "inicio", "alta", "начало"]),
    (Column::AcquisitionCost, &["acquisition_cost", "coste_adquisición", "costo_adquisición", "стоимость_привлечения"]),
    (Column::ReferredBy, &["referred_by", "referido_por", "рекомендатель", "привёл"]),
    (Column::IcpFit, &["icp_fit", "encaje", "соответствие"]),
    (Column::Potential, &["potential", "potencial", "потенциал"]),
    (Column::Strategic, &["strategic", "estratégico", "estrategico", "стратегический"]),
    (Column::Status, &["status", "estado", "статус"]),
    (Column::Tags, &["tags", "etiquetas", "теги", "метки"]),
    (Column::Notes, &["notes", "notas", "заметки", "примечания"]),
];

impl Column {
    /// The column a header cell names, if any.
    pub fn from_header(cell: &str) -> Option<Column> {
        let key = cell.trim().to_lowercase().replace(' ', "_");
        NAMES.iter().find(|(_, names)| names.contains(&key.as_str())).map(|(c, _)| *c)
    }

    /// The canonical (English, §9) name.
    pub fn name(self) -> &'static str {
        NAMES.iter().find(|(c, _)| *c == self).map_or("", |(_, names)| names[0])
    }
}

/// Columns of the period-records file after `client` and `period`, in §9 order.
pub const RECORD_FIELDS: [Column; 8] = [
    Column::Revenue,
    Column::DirectCost,
    Column::Discount,
    Column::ServiceHours,
    Column::SalesHours,
    Column::Tickets,
    Column::DaysLate,
    Column::WrittenOff,
];

/// Columns of the clients file after `client`, in §9 order.
pub const CLIENT_FIELDS: [Column; 10] = [
    Column::Name,
    Column::Start,
    Column::AcquisitionCost,
    Column::ReferredBy,
    Column::IcpFit,
    Column::Potential,
    Column::Strategic,
    Column::Status,
    Column::Tags,
    Column::Notes,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_is_listed_once_at_its_own_place() {
        for (i, c) in Column::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i, "{c:?}");
        }
        assert!(NAMES.iter().all(|(c, _)| Column::ALL.contains(c)));
        // The last column is the last listed: none was added after it and left out.
        assert_eq!(Column::Notes as usize + 1, Column::ALL.len());
    }

    #[test]
    fn synonyms_map_to_their_column() {
        let cases = [
            ("Client", Some(Column::Client)),
            (" CLIENTE ", Some(Column::Client)),
            ("Клиент", Some(Column::Client)),
            ("periodo", Some(Column::Period)),
            ("Период", Some(Column::Period)),
            ("Ingresos", Some(Column::Revenue)),
            ("выручка", Some(Column::Revenue)),
            ("coste", Some(Column::DirectCost)),
            ("себестоимость", Some(Column::DirectCost)),
            ("horas", Some(Column::ServiceHours)),
            ("часы", Some(Column::ServiceHours)),
            ("Service Hours", Some(Column::ServiceHours)),
            ("wibble", None),
        ];
        for (cell, want) in cases {
            assert_eq!(Column::from_header(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn every_column_has_a_canonical_name_that_maps_back() {
        for (column, names) in NAMES {
            assert_eq!(Column::from_header(names[0]), Some(*column));
            assert_eq!(column.name(), names[0]);
        }
    }
}
